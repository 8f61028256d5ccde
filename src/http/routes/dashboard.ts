// Issue 14: the people's dashboard. GET / redirects to /app/; every GET /app/… answers the single-page app's
// shell (client routes live under /app/ and never collide with the API at the root); /app/assets/… the
// content-hashed script and stylesheet built at start-up (src/dashboard/build.ts), precompressed. Sign-in
// trades a pasted API key for an HttpOnly session cookie (/app/session); the data itself comes only from
// the public API, which accepts that cookie (http/auth.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { closeDashboardSession, openDashboardSession, resolveDashboardSession } from '../../accounts/dashboard-sessions.js';
import type { AppContext } from '../../context.js';
import { ApiError, notFound } from '../../errors.js';
import { errors } from '../../schemas/common.js';
import { apiKeyChallenge, cookieValue, presentedKey, refuseCrossOrigin, SESSION_COOKIE } from '../auth.js';
import { pickEncoding } from './tracker.js';

/** The shell may run only our own script and talk only to this server. uPlot sets inline style attributes. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Sign-in attempts per client address and minute: API keys are 192-bit, this only keeps the log quiet. */
const SIGN_IN_PER_MINUTE = 30;

const AssetParams = Type.Object({ file: Type.String() });
const SessionAccount = Type.Object({ id: Type.String(), email: Type.String(), tier: Type.String() });
const SessionState = Type.Object({
  authenticated: Type.Boolean(),
  account: Type.Optional(SessionAccount),
  expires_at: Type.Optional(Type.String({ format: 'date-time' })),
});

function sessionCookie(request: FastifyRequest, value: string, maxAgeSec: number, publicUrl: string | null): string {
  const secure = request.protocol === 'https' || (publicUrl?.startsWith('https:') ?? false);
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure ? '; Secure' : ''}`;
}

function unavailable(): ApiError {
  return new ApiError(503, 'SERVICE_UNAVAILABLE', 'the dashboard is unavailable on this server (its build failed; see the server log); the HTTP API still works', {}, { 'Retry-After': 60 });
}

export async function dashboardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const built = ctx.dashboard;
  const meta = ctx.stores.meta;

  app.get('/', { config: { access: 'none' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/', 302));

  const shell = async (_request: FastifyRequest, reply: FastifyReply) => {
    const b = await built;
    if (!b) throw unavailable();
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Content-Security-Policy', CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Frame-Options', 'DENY')
      .send(b.html);
  };
  app.get('/app', { config: { access: 'none' }, schema: { hide: true } }, shell);
  app.get('/app/*', { config: { access: 'none' }, schema: { hide: true } }, shell);

  app.get<{ Params: Static<typeof AssetParams> }>('/app/assets/:file', { config: { access: 'none' }, schema: { hide: true, params: AssetParams } }, async (request, reply) => {
    const b = await built;
    if (!b) throw unavailable();
    const f = b.files.get(request.params.file);
    if (!f) throw notFound('no such dashboard asset (names change with every build: reload /app/)');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    reply
      .type(f.type)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Vary', 'Accept-Encoding')
      .header('ETag', `"${f.sha256}"`);
    if (request.headers['if-none-match']?.includes(f.sha256)) return reply.code(304).send();
    if (encoding === 'identity') return reply.send(f.body);
    return reply.header('Content-Encoding', encoding).send(encoding === 'br' ? f.brotli : f.gzip);
  });

  const tags = ['dashboard'];

  app.get('/app/session', {
    config: { access: 'none' },
    schema: { tags, summary: 'Whether this browser has a dashboard session (the HttpOnly cookie)', response: { 200: SessionState } },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const id = cookieValue(request, SESSION_COOKIE);
    const s = id ? await resolveDashboardSession(meta, id) : null;
    if (!s) return { authenticated: false };
    return { authenticated: true, account: { id: s.account.id, email: s.account.email, tier: s.account.tier }, expires_at: s.expiresAt };
  });

  app.post('/app/session', {
    config: { access: 'none' },
    schema: {
      tags,
      summary: 'Dashboard sign-in: trade an API key for an HttpOnly, SameSite=Strict session cookie',
      description: 'Body `{"api_key": "aak_…"}` (or the key in X-API-Key). Only from the dashboard\'s own origin. The session lasts AA_DASHBOARD_SESSION_TTL seconds (7 days by default) and ends at sign-out or when the key is revoked.',
      body: Type.Optional(Type.Object({ api_key: Type.Optional(Type.String({ maxLength: 256 })) })),
      response: { 200: SessionState, ...errors(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    refuseCrossOrigin(request, ctx.config.publicUrl);
    const { count, resetSec } = await ctx.stores.counters.hit(`dash-sign-in:${request.ip}`, 60);
    if (count > SIGN_IN_PER_MINUTE) throw new ApiError(429, 'RATE_LIMITED', `too many sign-in attempts; retry in ${resetSec} s`, { reason: 'rate_limit' }, { 'Retry-After': resetSec });
    const key = (request.body as { api_key?: string } | undefined)?.api_key?.trim() || presentedKey(request);
    if (!key) throw new ApiError(400, 'MISSING_FIELDS', 'paste your API key (aak_…) to sign in');
    const caller = await ctx.keys.resolve(key);
    if (typeof caller !== 'string' && caller.grant.kind !== 'owner') {
      throw new ApiError(403, 'INSUFFICIENT_SCOPE', 'the dashboard signs in with the account\'s owner API key only; named keys and agent tokens carry limited scopes and are meant for scripts and agents');
    }
    const account = typeof caller === 'string' ? null : caller.account;
    if (!account) {
      throw new ApiError(401, 'AUTH_REQUIRED', 'that API key is not valid: it is unknown or was revoked. Use the key printed when the server first started (or by `agent-analytics accounts create`), or the new one from a key rotation.', {}, { 'WWW-Authenticate': apiKeyChallenge(true) });
    }
    const opened = await openDashboardSession(meta, account, key, ctx.config.dashboardSessionTtlSec);
    reply.header('Set-Cookie', sessionCookie(request, opened.id, ctx.config.dashboardSessionTtlSec, ctx.config.publicUrl)).header('Cache-Control', 'no-store');
    return { authenticated: true, account: { id: account.id, email: account.email, tier: account.tier }, expires_at: opened.expiresAt.toISOString() };
  });

  app.delete('/app/session', {
    config: { access: 'none' },
    schema: { tags, summary: 'Dashboard sign-out: end the session on the server and clear the cookie', response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(403) } },
  }, async (request, reply) => {
    refuseCrossOrigin(request, ctx.config.publicUrl);
    const id = cookieValue(request, SESSION_COOKIE);
    if (id) await closeDashboardSession(meta, id);
    reply.header('Set-Cookie', sessionCookie(request, '', 0, ctx.config.publicUrl)).header('Cache-Control', 'no-store');
    return { ok: true };
  });
}
