// Access is declared on each route (`config.access`); this hook enforces it: API key (header,
// Bearer or ?key=), admin token, or none, then the per-account rate limit with the P7 headers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountLimits } from '../accounts/accounts.js';
import type { KeyCache } from '../accounts/key-cache.js';
import type { Config } from '../config.js';
import type { Account, Counters, MetaStore } from '../store/ports.js';
import { ApiError, notFound, unauthorized } from './errors.js';

/** `apiKeyUnmetered`: API-key auth without counting the request (POST /mcp, whose tool calls are counted as the API calls they make). */
export type Access = 'none' | 'apiKey' | 'apiKeyUnmetered' | 'admin' | 'token';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    account: Account | null;
    apiKey: string | null;
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

export function installAuth(app: FastifyInstance, deps: { config: Config; meta: MetaStore; counters: Counters; keys: KeyCache }): void {
  app.decorateRequest('account', null);
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access ?? 'none';
    if (access === 'apiKey' || access === 'apiKeyUnmetered') {
      const key = presentedKey(request);
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
