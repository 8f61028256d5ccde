// Access is declared on each route (`config.access`); this hook enforces it: API key (header,
// Bearer or ?key=), admin token, or none, then the per-account rate limit with the P7 headers.
// `apiKey` routes also take the dashboard's session cookie (issue 14) in place of a key: same account, same
// rate limit, and for mutating methods only from the server's own origin (CSRF, see sameOrigin()).
// Issue 16: every credential carries a grant (accounts/scopes.ts) and every API-key route declares the scope it
// needs (`config.scope`) beside `config.access`; registering such a route without one fails at start-up, and this
// same hook refuses a missing scope with 403 INSUFFICIENT_SCOPE naming it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountLimits } from '../accounts/accounts.js';
import { resolveDashboardSession } from '../accounts/dashboard-sessions.js';
import type { KeyCache, Refusal } from '../accounts/key-cache.js';
import { type Grant, missing, OWNER_GRANT, type Requirement, SCOPE_DESCRIPTIONS } from '../accounts/scopes.js';
import type { Config } from '../config.js';
import { ErrorBody } from '../schemas/common.js';
import type { Account, Counters, MetaStore } from '../store/ports.js';
import { ApiError, forbidden, notFound, unauthorized } from './errors.js';

/** The dashboard's session cookie: HttpOnly, SameSite=Strict, Path=/ (the API it authenticates lives at the root). */
export const SESSION_COOKIE = 'aa_session';

/** `apiKeyUnmetered`: API-key auth without counting the request (POST /mcp, whose tool calls are counted as the API calls they make). */
export type Access = 'none' | 'apiKey' | 'apiKeyUnmetered' | 'admin' | 'token';

/** One route's access rule as registered: the list the route × scope test walks. */
export interface AccessRule {
  method: string;
  url: string;
  access: Access;
  scope: Requirement | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's access rule, in registration order (filled by installAuth's onRoute hook). */
    accessRules: AccessRule[];
  }
  interface FastifyContextConfig {
    access?: Access;
    /** What the credential must allow (required on every apiKey route). */
    scope?: Requirement;
  }
  interface FastifyRequest {
    account: Account | null;
    apiKey: string | null;
    /** What the caller's credential allows (owner, named key, agent session or dashboard session). */
    grant: Grant | null;
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

const REFUSED: Record<Refusal, string> = {
  unknown: 'invalid or revoked API key; get the current key from your account owner or `agent-analytics accounts create`',
  expired: 'this credential has expired: an agent access token (aas_…) is renewed with POST /agent-sessions/refresh, an expired named key is replaced by a new one (POST /account/keys)',
  refresh_token: 'an aar_ refresh token is not an access credential: trade it for a new access token with POST /agent-sessions/refresh {"refresh_token"} and send that (aas_…) as Authorization: Bearer',
};

/** 403 INSUFFICIENT_SCOPE naming what the credential lacks. */
export function scopeError(lack: string): ApiError {
  if (lack === 'owner') {
    return new ApiError(403, 'INSUFFICIENT_SCOPE', 'only the account owner can do this (the owner API key or a dashboard session); named keys and agent sessions never can, whatever their scopes', { missing_scope: 'owner' });
  }
  const what = SCOPE_DESCRIPTIONS[lack as keyof typeof SCOPE_DESCRIPTIONS];
  return new ApiError(403, 'INSUFFICIENT_SCOPE', `this credential lacks the "${lack}" scope (${what}); ask the account owner for a key or an agent session that includes it`, { missing_scope: lack });
}

/** Refuse when the caller's grant does not satisfy the route's requirement. */
export function requireScope(grant: Grant, need: Requirement): void {
  const lack = missing(grant, need);
  if (lack) throw scopeError(lack);
}

export function installAuth(app: FastifyInstance, deps: { config: Config; meta: MetaStore; counters: Counters; keys: KeyCache }): void {
  app.decorateRequest('account', null);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('dashboardSession', null);
  app.decorateRequest('grant', null);
  const rules: AccessRule[] = [];
  app.decorate('accessRules', rules);
  // Every cookie-capable write can answer the CSRF refusal: document the 403 where a route did not already.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const m of ([] as string[]).concat(route.method)) {
      if (m !== 'HEAD') rules.push({ method: m, url: route.url, access: access ?? 'none', scope: route.config?.scope ?? null });
    }
    if ((access === 'apiKey' || access === 'apiKeyUnmetered') && route.config?.scope === undefined) {
      throw new Error(`${String(route.method)} ${route.url}: an apiKey route must declare config.scope (a scope of accounts/scopes.ts, 'owner' or 'any')`);
    }
    const withScope = route.schema as { response?: Record<string | number, unknown>; hide?: boolean } | undefined;
    if (route.config?.scope && route.config.scope !== 'any' && withScope?.response && !withScope.hide && !(403 in withScope.response)) {
      withScope.response = { ...withScope.response, 403: ErrorBody };
    }
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
        request.grant = { ...OWNER_GRANT, kind: 'dashboard' };
        requireScope(request.grant, request.routeOptions.config.scope ?? 'owner');
        await enforceRateLimit(deps.counters, reply, `api:${session.account.id}`, accountLimits(deps.config, session.account).rate_limit_rpm);
        return;
      }
      if (!key) throw new ApiError(401, 'AUTH_REQUIRED', 'API key required: send it as the X-API-Key header, Authorization: Bearer <key>, or ?key=', {}, { 'WWW-Authenticate': apiKeyChallenge(false) });
      const caller = await deps.keys.resolve(key);
      if (typeof caller === 'string') throw new ApiError(401, 'AUTH_REQUIRED', REFUSED[caller], {}, { 'WWW-Authenticate': apiKeyChallenge(true) });
      const { account } = caller;
      request.account = caller.grant.projectIds ? { ...account, restricted_to: caller.grant.projectIds } : account;
      request.apiKey = key;
      request.grant = caller.grant;
      requireScope(caller.grant, request.routeOptions.config.scope ?? 'owner');
      if (access === 'apiKey') await enforceRateLimit(deps.counters, reply, `api:${account.id}`, accountLimits(deps.config, account).rate_limit_rpm);
    } else if (access === 'admin') {
      if (!deps.config.adminToken) throw notFound();
      const auth = request.headers.authorization ?? '';
      if (auth !== `Bearer ${deps.config.adminToken}`) throw unauthorized('AUTH_REQUIRED', 'admin token required: send Authorization: Bearer <AA_ADMIN_TOKEN>');
    }
  });
}
