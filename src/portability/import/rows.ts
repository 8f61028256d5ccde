// From a source record to a stored row: the checks an imported event must pass (the live limits of E1 except
// the 30-day timestamp window: history keeps its original time), the enrich step ingestion uses, and ids that
// are a pure function of the source record, so running the same import twice stores nothing twice.
import { createHash } from 'node:crypto';
import { enrich } from '../../ingest/enrich.js';
import { FUTURE_WINDOW_MS, MAX_PROPERTIES_BYTES, MAX_STRING } from '../../ingest/validate.js';
import type { EventRow } from '../../store/ports.js';

/** A stored row before its project is known. */
export type ImportRow = Omit<EventRow, 'project_id'>;

/** One record of a source: a row, a malformed record (refuses the file unless skip_invalid), or a row left out on purpose. */
export type Parsed =
  | { at: string; row: ImportRow }
  | { at: string; invalid: string }
  | { at: string; skip: string };

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A ULID-shaped id: the event's time, then 80 bits of SHA-256 of `key` (the record's identity in its source). */
export function importId(ts: number, key: string): string {
  let time = '';
  let t = Math.max(0, Math.floor(ts));
  for (let i = 0; i < 10; i++) {
    time = ENCODING[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const hash = createHash('sha256').update(key).digest();
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ENCODING[hash[i] & 31];
  return time + rand;
}

export interface LooseEvent {
  event: unknown;
  ts: unknown;
  user_id: unknown;
  session_id: unknown;
  properties: unknown;
  country?: unknown;
  received_at?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string): number => (s.length <= MAX_STRING ? s.length : [...s].length);

function text(v: unknown, name: string, required: boolean): string | null | { error: string } {
  if (v === undefined || v === null || v === '') return required ? { error: `${name} is required` } : null;
  if (typeof v !== 'string') return { error: `${name} must be a string` };
  if (chars(v) > MAX_STRING) return { error: `${name} is longer than ${MAX_STRING} characters` };
  if (UNPAIRED.test(v)) return { error: `${name} contains an unpaired UTF-16 surrogate` };
  return v;
}

const failed = (v: unknown): v is { error: string } => isObject(v) && typeof v.error === 'string';

/** Check and enrich one event; `id` is the record's own id or importId of its source key. A string is what is wrong. */
export function buildRow(e: LooseEvent, id: string | ((ts: number) => string), now: number): ImportRow | string {
  const event = text(e.event, 'event', true);
  if (failed(event)) return event.error;
  const user = text(e.user_id, 'user_id', false);
  if (failed(user)) return user.error;
  const session = text(e.session_id, 'session_id', false);
  if (failed(session)) return session.error;
  const ts = typeof e.ts === 'string' && /^\d{1,16}$/.test(e.ts) ? Number(e.ts) : e.ts;
  if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < 0) return 'timestamp must be epoch milliseconds (a non-negative integer)';
  if (ts > now + FUTURE_WINDOW_MS) return `timestamp ${ts} is in the future (${new Date(ts).toISOString()})`;
  let properties: Record<string, unknown> | null = null;
  let json: string | null = null;
  if (e.properties !== undefined && e.properties !== null) {
    if (!isObject(e.properties)) return 'properties must be a JSON object or null';
    properties = e.properties;
    json = JSON.stringify(properties);
    if (Buffer.byteLength(json) > MAX_PROPERTIES_BYTES) return `properties is ${Buffer.byteLength(json)} bytes of JSON; the limit is ${MAX_PROPERTIES_BYTES}`;
    if (json.includes('"__proto__"')) return 'properties must not use "__proto__" as a key';
  }
  const country = typeof e.country === 'string' && /^[A-Z]{2}$/.test(e.country) ? e.country : null;
  // Received now, unless the record says when (our own export keeps it): usage and the monthly cap count the import today.
  const received = typeof e.received_at === 'number' && Number.isInteger(e.received_at) ? e.received_at : now;
  const { project_id: _p, ...row } = enrich({ event: event as string, properties: properties as never, propertiesJson: json, user_id: user, session_id: session, ts }, '', user, country, received);
  row.id = typeof id === 'string' ? id : id(ts);
  return row;
}
