// Ingestion as named steps in the contract's order (E1/E2, Q10): bot → parse → shape → token → origin →
// rate limit → validate (+ client properties for browsers) → quota → identity → enrich → write. Each step
// yields its value or a Drop; the one exit for Drops counts them, so nothing is refused silently.
import { ApiError, unauthorized } from '../errors.js';
import type { EventRow, LiveEvent } from '../store/ports.js';
import { botStep } from './bot.js';
import type { TokenEntry } from './directory.js';
import { type Drop, drop, isDrop } from './drop.js';
import { type ClientHeaders, withClient } from './client.js';
import { enrich } from './enrich.js';
import { type IngestService, toLiveEvent } from './service.js';
import { WriteRefused } from './writer.js';
import { batchShape, type Json, own, parseBody, validateEvent, type ValidEvent } from './validate.js';
import type { Counters } from '../store/ports.js';

export interface IngestRequest {
  batch: boolean;
  body: unknown;
  userAgent: string | undefined;
  origin: string | undefined;
  /** Set for browser requests: their events get the client properties they lack (client step). */
  client: ClientHeaders | null;
  queryToken: unknown;
  country: string | null;
}

export type Headers = Record<string, string | number>;

export type IngestOutcome =
  | { kind: 'accepted'; count: number; headers: Headers }
  | { kind: 'bot'; headers: Headers }
  | { kind: 'refused'; error: ApiError; headers: Headers };

const normOrigin = (o: string): string => o.trim().toLowerCase().replace(/\/+$/, '');

/** The origin step (§1.9): a browser Origin outside allowed_origins is refused before anything is stored. */
export function originStep(entry: TokenEntry, origin: string | undefined): Drop | null {
  if (origin === undefined || entry.origins[0] === '*' || entry.origins.includes(normOrigin(origin))) return null;
  return drop('origin', new ApiError(403, 'FORBIDDEN', `origin ${origin} is not allowed for this project; add it to allowed_origins (PATCH /projects/{id}) or send from an allowed site`));
}

/** The ingestion rate limit (§1.8, P7): its own fixed 60-second window per account. */
export async function rateLimitStep(counters: Counters, entry: TokenEntry, headers: Headers): Promise<Drop | null> {
  const limit = entry.limits.rate_limit_rpm;
  if (limit === -1) {
    headers['X-RateLimit-Limit'] = -1;
    headers['X-RateLimit-Remaining'] = -1;
    headers['X-RateLimit-Reset'] = 0;
    return null;
  }
  const { count, resetSec } = await counters.hit(`ingest:${entry.account.id}`, 60);
  headers['X-RateLimit-Limit'] = limit;
  headers['X-RateLimit-Remaining'] = Math.max(0, limit - count);
  headers['X-RateLimit-Reset'] = resetSec;
  if (count <= limit) return null;
  return drop('rate_limit', new ApiError(429, 'RATE_LIMITED', `ingestion rate limit of ${limit} requests per minute exceeded; retry in ${resetSec} s, send events in batches (POST /track/batch), or upgrade the tier`,
    { reason: 'rate_limit' }, { 'Retry-After': resetSec }));
}

function tokenOf(body: Json | Drop, batch: boolean, queryToken: unknown): unknown {
  if (isDrop(body)) return queryToken;
  const events = own(body, 'events');
  const first = batch && Array.isArray(events) && typeof events[0] === 'object' && events[0] !== null ? own(events[0] as Json, 'token') : undefined;
  return first ?? own(body, 'token') ?? queryToken;
}

function eventCount(body: Json | Drop, batch: boolean): number {
  if (isDrop(body) || !batch) return 1;
  const events = own(body, 'events');
  return Array.isArray(events) ? Math.max(1, events.length) : 1;
}

/** The one exit for Drops: count it, and answer with its error (a bot's Drop has none: 200). */
function refuse(s: IngestService, d: Drop, projectId: string | null, events: number, now: number, headers: Headers): IngestOutcome {
  s.drops.count(d, projectId, events, now);
  return d.error ? { kind: 'refused', error: d.error, headers } : { kind: 'bot', headers };
}

export async function runIngest(s: IngestService, counters: Counters, req: IngestRequest, now = Date.now()): Promise<IngestOutcome> {
  const headers: Headers = {};
  const bot = botStep(req.userAgent);
  const body = parseBody(req.body);
  const events = eventCount(body, req.batch);
  if (bot) {
    // Best effort attribution to a project for /bot-traffic; the answer is the same 200 either way.
    const token = tokenOf(body, req.batch, req.queryToken);
    const projectId = typeof token === 'string' ? (await s.directory.byToken(token).catch(() => null))?.project.id ?? null : null;
    return refuse(s, bot, projectId, events, now, headers);
  }
  if (isDrop(body)) return refuse(s, body, null, events, now, headers);

  let items: Json[];
  let token: unknown;
  if (req.batch) {
    const shape = batchShape(body, req.queryToken);
    if (isDrop(shape)) return refuse(s, shape, null, events, now, headers);
    ({ items, token } = shape);
  } else {
    items = [body];
    token = own(body, 'token') ?? req.queryToken;
  }

  const entry = typeof token === 'string' && token !== '' ? await s.directory.byToken(token) : null;
  if (!entry) {
    return refuse(s, drop('invalid_token', unauthorized('INVALID_TOKEN', 'project token missing, unknown or revoked: send the project\'s token (aat_…) as "token" in the body (or ?token=); see GET /projects')), null, events, now, headers);
  }
  const projectId = entry.project.id;
  const denied = originStep(entry, req.origin);
  if (denied) return refuse(s, denied, projectId, events, now, headers);
  const limited = await rateLimitStep(counters, entry, headers);
  if (limited) return refuse(s, limited, projectId, events, now, headers);

  const valid: ValidEvent[] = [];
  const userIds: (string | null)[] = [];
  for (let i = 0; i < items.length; i++) {
    const v = validateEvent(items[i], now, req.batch ? i : null);
    if (isDrop(v)) return refuse(s, v, projectId, events, now, headers);
    valid.push(req.client ? withClient(v, req.client) : v);
    userIds.push(v.user_id);
  }

  const release = await s.quotas.reserve(entry.account, entry.limits, valid.length, now);
  if (isDrop(release)) return refuse(s, release, projectId, events, now, headers);
  try {
    const canonical = await s.identities.resolve(projectId, userIds);
    const rows: EventRow[] = [];
    const live: LiveEvent[] = [];
    for (const v of valid) {
      const row = enrich(v, projectId, v.user_id === null ? null : canonical.get(v.user_id) ?? v.user_id, req.country, now);
      rows.push(row);
      live.push(toLiveEvent(row, v.properties));
    }
    await s.writer.submit(rows, live);
  } catch (err) {
    release();
    if (err instanceof WriteRefused) return refuse(s, drop(err.reason, err), projectId, events, now, headers);
    throw err;
  }
  return { kind: 'accepted', count: valid.length, headers };
}
