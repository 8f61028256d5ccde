// Access is declared on each route (`config.access`); this hook enforces it: API key (header,
// Bearer or ?key=), admin token, or none, then the per-account rate limit with the P7 headers.
// `apiKey` routes also take the dashboard's session cookie (issue 14) in place of a key: same account, same
// rate limit, and for mutating methods only from the server's own origin (CSRF, see sameOrigin()).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountLimits } from '../accounts/accounts.js';
import { resolveDashboardSession } from '../accounts/dashboard-sessions.js';
import type { KeyCache } from '../accounts/key-cache.js';
import type { Config } from '../config.js';
import { ErrorBody } from '../schemas/common.js';
import type { Account, Counters, MetaStore } from '../store/ports.js';
import { ApiError, forbidden, notFound, unauthorized } from './errors.js';

/** The dashboard's session cookie: HttpOnly, SameSite=Strict, Path=/ (the API it authenticates lives at the root). */
export const SESSION_COOKIE = 'aa_session';

/** `apiKeyUnmetered`: API-key auth without counting the request (POST /mcp, whose tool calls are counted as the API calls they make). */
export type Access = 'none' | 'apiKey' | 'apiKeyUnmetered' | 'admin' | 'token';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    account: Account | null;
    apiKey: string | null;
    /** Set when the request was authenticated by the dashboard's session cookie instead of a key. */
    dashboardSession: { idHash: string; keyHash: string; expiresAt: string } | null;
  }
}

/** The key a request carries: X-API-Key wins, then Authorization: Bearer, then ?key=. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || null;
  const q = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof q === 'string' && q ? q : null;
}

/**
 * The challenge of an API-key 401 (RFC 7235 wants one on every 401). Bearer, because `Authorization: Bearer aak_…`
 * works (P5), and without `resource_metadata`: there is no OAuth to discover (MCP clients that probe for it
 * anyway get 404s that say so, see routes/oauth-absent.ts). RFC 6750 §3.1: no error code when no key was sent.
 */
export function apiKeyChallenge(invalid: boolean): string {
  return `Bearer realm="agent-analytics"${invalid ? ', error="invalid_token", error_description="invalid or revoked API key"' : ''}`;
}

/** Count one request against a fixed 60-second window and set the P7 headers; throws 429 past the limit. */
export async function enforceRateLimit(counters: Counters, reply: FastifyReply, key: string, limit: number): Promise<void> {
  if (limit === -1) {
    reply.header('X-RateLimit-Limit', -1).header('X-RateLimit-Remaining', -1).header('X-RateLimit-Reset', 0);
    return;
  }
  const { count, resetSec } = await counters.hit(key, 60);
  reply.header('X-RateLimit-Limit', limit).header('X-RateLimit-Remaining', Math.max(0, limit - count)).header('X-RateLimit-Reset', resetSec);
  if (count > limit) {
    throw new ApiError(429, 'RATE_LIMITED', `rate limit of ${limit} requests per minute exceeded; retry in ${resetSec} s or upgrade the tier`, { reason: 'rate_limit' }, { 'Retry-After': resetSec });
  }
}

/** The value of one cookie of the request, or null. */
export function cookieValue(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated writes, on top of SameSite=Strict: the browser's Origin must be this
 * server's own (as addressed in Host, or AA_PUBLIC_URL), and Sec-Fetch-Site, when sent, must say same-origin.
 * A write without Origin is refused too: every browser sends one on a cross-origin or a POST/PATCH/DELETE fetch.
 */
export function sameOrigin(request: FastifyRequest, publicUrl: string | null): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return false;
  const own = new Set<string>();
  if (typeof request.headers.host === 'string') own.add(`${request.protocol}://${request.headers.host}`.toLowerCase());
  if (publicUrl) own.add(new URL(publicUrl).origin.toLowerCase());
  return own.has(origin.toLowerCase().replace(/\/+$/, ''));
}

export function refuseCrossOrigin(request: FastifyRequest, publicUrl: string | null): void {
  if (!SAFE_METHODS.has(request.method) && !sameOrigin(request, publicUrl)) {
    throw forbidden('cross-origin request refused: a dashboard session may only be used from the dashboard\'s own origin; other clients send the API key instead');
  }
}

export function installAuth(app: FastifyInstance, deps: { config: Config; meta: MetaStore; counters: Counters; keys: KeyCache }): void {
  app.decorateRequest('account', null);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('dashboardSession', null);
  // Every cookie-capable write can answer the CSRF refusal: document the 403 where a route did not already.
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const schema = route.schema as { response?: Record<string | number, unknown>; hide?: boolean } | undefined;
    if (route.config?.access !== 'apiKey' || methods.every((m) => SAFE_METHODS.has(m)) || !schema?.response || schema.hide) return;
    if (!(403 in schema.response)) schema.response = { ...schema.response, 403: ErrorBody };
  });
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access ?? 'none';
    if (access === 'apiKey' || access === 'apiKeyUnmetered') {
      const key = presentedKey(request);
      const cookie = access === 'apiKey' && !key ? cookieValue(request, SESSION_COOKIE) : null;
      if (cookie) {
        const session = await resolveDashboardSession(deps.meta, cookie);
        if (!session) throw new ApiError(401, 'AUTH_REQUIRED', 'your dashboard session has expired or was signed out; sign in again with your API key', {}, { 'WWW-Authenticate': apiKeyChallenge(true) });
        refuseCrossOrigin(request, deps.config.publicUrl);
        request.account = session.account;
        request.dashboardSession = { idHash: session.idHash, keyHash: session.keyHash, expiresAt: session.expiresAt };
        await enforceRateLimit(deps.counters, reply, `api:${session.account.id}`, accountLimits(deps.config, session.account).rate_limit_rpm);
        return;
      }
      if (!key) throw new ApiError(401, 'AUTH_REQUIRED', 'API key required: send it as the X-API-Key header, Authorization: Bearer <key>, or ?key=', {}, { 'WWW-Authenticate': apiKeyChallenge(false) });
      const account = await deps.keys.lookup(key);
      if (!account) throw new ApiError(401, 'AUTH_REQUIRED', 'invalid or revoked API key; get the current key from your account owner or `agent-analytics accounts create`', {}, { 'WWW-Authenticate': apiKeyChallenge(true) });
      request.account = account;
      request.apiKey = key;
      if (access === 'apiKey') await enforceRateLimit(deps.counters, reply, `api:${account.id}`, accountLimits(deps.config, account).rate_limit_rpm);
    } else if (access === 'admin') {
      if (!deps.config.adminToken) throw notFound();
      const auth = request.headers.authorization ?? '';
      if (auth !== `Bearer ${deps.config.adminToken}`) throw unauthorized('AUTH_REQUIRED', 'admin token required: send Authorization: Bearer <AA_ADMIN_TOKEN>');
    }
  });
}
