// Agent sessions (Appendix A, issue 16): start → a person approves in the browser → exchange → refresh / revoke.
// The JSON endpoints need no credential (the request id, poll token, exchange code and verifier are the proof);
// the approval page signs the person in with the owner API key or an existing dashboard session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { decide, exchange, listSessions, liveRequest, poll, refresh, revokeSession, startRequest } from '../../accounts/agent-sessions.js';
import { isOAuthRequest, oauthRedirect } from '../../accounts/oauth.js';
import { resolveDashboardSession } from '../../accounts/dashboard-sessions.js';
import type { AppContext } from '../../context.js';
import { ApiError } from '../../errors.js';
import { errors } from '../../schemas/common.js';
import * as S from '../../schemas/credentials.js';
import { approvalCsp, approvalForm, errorPage, finishedPage } from '../approval-page.js';
import { cookieValue, refuseCrossOrigin, SESSION_COOKIE } from '../auth.js';
import { callerAccount } from '../project-scope.js';

/** Starts and sign-in attempts per client address and minute. */
const PER_MINUTE = 30;

/** 429 past PER_MINUTE requests of one kind (`what`) from one client address. */
export function throttler(counters: AppContext['stores']['counters']) {
  return async (request: FastifyRequest, what: string) => {
    const { count, resetSec } = await counters.hit(`${what}:${request.ip}`, 60);
    if (count > PER_MINUTE) throw new ApiError(429, 'RATE_LIMITED', `too many requests; retry in ${resetSec} s`, { reason: 'rate_limit' }, { 'Retry-After': resetSec });
  };
}

/** Parse application/x-www-form-urlencoded bodies (HTML forms, OAuth token requests) in this scope only. */
export function acceptForms(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
}

/** Every secret-bearing answer of the sign-in flows. */
export const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

export async function agentSessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, counters } = ctx.stores;
  const tags = ['agent-sessions'];
  const invalidate = async (hashes: string[]) => {
    for (const h of hashes) await counters.invalidate('keys', h);
  };
  const throttle = throttler(counters);

  app.post<{ Body: Static<typeof S.StartBody> }>('/agent-sessions/start', {
    config: { access: 'none' },
    schema: {
      tags, summary: 'Ask for an agent session: returns the approval URL a person opens',
      description: 'Interactive (default): send callback_url (loopback) and code_challenge (hex SHA-256 of your verifier); after approval the browser is redirected to callback_url?request_id=…&exchange_code=…. Detached: poll with poll_token. Scopes default to all.',
      body: S.StartBody, response: { 201: S.Started, ...errors(400, 429) },
    },
  }, async (request, reply) => {
    await throttle(request, 'agent-start');
    reply.header('Cache-Control', 'no-store');
    return reply.code(201).send(await startRequest(ctx.config, meta, request.body, ctx.publicUrl(request)));
  });

  const html = (reply: FastifyReply, status: number, body: string, csp = approvalCsp(null)) => reply.code(status).type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store').header('Content-Security-Policy', csp).header('X-Frame-Options', 'DENY')
    // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` with the form, which the CSRF check refuses.
    .header('Referrer-Policy', 'same-origin').header('X-Content-Type-Options', 'nosniff').send(body);

  /** The request as a page, or its 404/410 as a page. */
  const pageRequest = async (reply: FastifyReply, id: string) => {
    try {
      return await liveRequest(meta, id);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 410)) {
        html(reply, e.status, errorPage(e.status, e.message));
        return null;
      }
      throw e;
    }
  };
  const dashboardEmail = async (request: FastifyRequest) => {
    const cookie = cookieValue(request, SESSION_COOKIE);
    return cookie ? resolveDashboardSession(meta, cookie) : null;
  };

  app.get<{ Params: Static<typeof S.AuthorizeParams> }>('/agent-sessions/authorize/:id', { config: { access: 'none' }, schema: { hide: true, params: S.AuthorizeParams } }, async (request, reply) => {
    const r = await pageRequest(reply, request.params.id);
    if (!r) return reply;
    if (r.status !== 'pending') return html(reply, 409, errorPage(409, `this request was already ${r.status}; start a new one to decide again`));
    const session = await dashboardEmail(request);
    return html(reply, 200, approvalForm(r, session?.account.email ?? null, null), approvalCsp(r.callback_url));
  });

  // The form posts application/x-www-form-urlencoded; parsed only in this scope.
  await app.register(async (scope) => {
    acceptForms(scope);
    scope.post<{ Params: Static<typeof S.AuthorizeParams> }>('/agent-sessions/authorize/:id', { config: { access: 'none' }, schema: { hide: true, params: S.AuthorizeParams } }, async (request, reply) => {
      refuseCrossOrigin(request, ctx.config.publicUrl);
      await throttle(request, 'agent-approve');
      const r = await pageRequest(reply, request.params.id);
      if (!r) return reply;
      if (r.status !== 'pending') return html(reply, 409, errorPage(409, `this request was already ${r.status}; start a new one to decide again`));
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const session = await dashboardEmail(request);
      let account = session?.account ?? null;
      if (!account) {
        const caller = form.api_key ? await ctx.keys.resolve(form.api_key.trim()) : 'unknown';
        const refusal = typeof caller === 'string' ? 'That API key is not valid (unknown, revoked or expired). Paste the account\'s owner key.'
          : caller.grant.kind !== 'owner' ? 'Only the account\'s owner key can approve agent access; named keys and agent tokens cannot.' : null;
        if (refusal || typeof caller === 'string') return html(reply, 401, approvalForm(r, null, refusal), approvalCsp(r.callback_url));
        account = caller.account;
      }
      const approve = form.decision === 'approve';
      // The page sends scopes_offered with one scope_<name>=on per ticked box; a client posting without it grants all.
      const granted = form.scopes_offered === '1' ? r.scopes.filter((s) => form[`scope_${s}`] === 'on') : null;
      if (approve && granted?.length === 0) return html(reply, 400, approvalForm(r, session?.account.email ?? null, 'Tick at least one scope to approve, or press Deny.'), approvalCsp(r.callback_url));
      const { request: decided, code } = await decide(meta, r.id, account, approve, granted);
      if (isOAuthRequest(decided)) return reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').redirect(oauthRedirect(decided, code), 303);
      if (decided.callback_url) {
        const back = new URL(decided.callback_url);
        back.searchParams.set('request_id', decided.id);
        if (code) back.searchParams.set('exchange_code', code);
        else back.searchParams.set('error', 'access_denied');
        return reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').redirect(back.toString(), 303);
      }
      return html(reply, 200, finishedPage(decided, approve, code));
    });
  });

  app.post<{ Body: Static<typeof S.PollBody> }>('/agent-sessions/poll', {
    config: { access: 'none' },
    schema: { tags, summary: 'Status of an agent sign-in request; once approved, the exchange code', body: S.PollBody, response: { 200: S.Polled, ...errors(400, 404) } },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return poll(meta, request.body.auth_request_id, request.body.poll_token);
  });

  app.post<{ Body: Static<typeof S.ExchangeBody> }>('/agent-sessions/exchange', {
    config: { access: 'none' },
    schema: {
      tags, summary: 'Trade the exchange code (and code_verifier) for an aas_ access token and an aar_ refresh token',
      body: S.ExchangeBody, response: { 200: S.Exchanged, ...errors(400, 403, 404, 409, 410) },
    },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return exchange(ctx.config, meta, request.body);
  });

  app.post<{ Body: Static<typeof S.RefreshBody> }>('/agent-sessions/refresh', {
    config: { access: 'none' },
    schema: {
      tags, summary: 'Rotate: a new token pair for a refresh token (single use; a reused one revokes the session)',
      body: S.RefreshBody, response: { 200: S.Refreshed, ...errors(400, 401) },
    },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return refresh(ctx.config, meta, request.body.refresh_token, invalidate);
  });

  app.post<{ Body: Static<typeof S.RevokeBody> | undefined }>('/agent-sessions/revoke', {
    config: { access: 'apiKey', scope: 'any' },
    schema: {
      tags, summary: 'End an agent session at once on every replica: the calling one, or (owner) any of the account',
      body: S.RevokeBody, response: { 200: S.Revoked, ...errors(400, 401, 403, 404, 429) },
    },
  }, async (request) => {
    const grant = request.grant!;
    const asked = request.body?.session_id;
    const id = asked ?? (grant.kind === 'agent' ? grant.id! : null);
    if (!id) throw new ApiError(400, 'MISSING_FIELDS', 'session_id is required (list sessions with GET /account/agent-sessions)');
    const mayRevoke = grant.kind === 'owner' || grant.kind === 'dashboard' || (grant.kind === 'agent' && grant.id === id);
    if (!mayRevoke) throw new ApiError(403, 'INSUFFICIENT_SCOPE', 'an agent session can revoke only itself, and a named key none; the owner key revokes any session');
    await revokeSession(meta, callerAccount(request), id, invalidate);
    return { ok: true, session_id: id };
  });

  app.get('/account/agent-sessions', {
    config: { access: 'apiKey', scope: 'account:read' },
    schema: { tags, summary: "The account's active agent sessions (client, scopes, created, last used, expiry)", response: { 200: S.AgentSessionList, ...errors(401, 429) } },
  }, async (request) => ({
    agent_sessions: await listSessions(meta, callerAccount(request), request.grant?.kind === 'agent' ? request.grant.id : null),
  }));
}
