// Agent sessions (Appendix A, issue 16): a client asks for scoped access, a person approves it in the browser,
// the client exchanges a one-time code (plus its PKCE-style verifier) for an aas_ access token and an aar_
// refresh token. Every secret (poll token, exchange codes, tokens) is stored only as its SHA-256; refresh tokens
// rotate on use, and a replayed one revokes the whole session. Time is passed in, so expiry is testable.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Account, AgentAuthRequest, AgentSession, AgentToken, MetaStore } from '../store/ports.js';
import { hashKey, newId } from './credentials.js';
import { parseScopes, SCOPES, type Scope } from './scopes.js';

const secret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;
const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
/** Constant-time equality of two hex digests. */
function sameHash(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
/** The exchange code a poll hands out: derived from the poll token, so only its hash is ever stored. */
const pollExchangeCode = (pollToken: string, id: string): string => createHmac('sha256', pollToken).update(`exchange:${id}`).digest('base64url');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const POLL_INTERVAL_SECONDS = 2;

/** How long ended credentials are kept before a new request prunes them (they are refused either way). */
export const ENDED_KEEP_MS = 86_400_000;

/**
 * Store a new approval request, first deleting agent credentials that ended over ENDED_KEEP_MS ago: requests
 * can be started without a credential, so the tables must not grow with every attempt.
 */
export async function recordRequest(meta: MetaStore, request: AgentAuthRequest, now: Date): Promise<void> {
  await meta.pruneAgentCredentials(new Date(now.getTime() - ENDED_KEEP_MS).toISOString());
  await meta.createAgentRequest(request);
}

export interface StartInput {
  mode?: 'interactive' | 'detached';
  client_type: string;
  client_name?: string;
  client_instance_id?: string;
  callback_url?: string;
  scopes?: string[];
  code_challenge?: string;
}

export async function startRequest(config: Config, meta: MetaStore, input: StartInput, baseUrl: string, now = new Date()) {
  const mode = input.mode ?? 'interactive';
  const parsed = input.scopes === undefined ? { ok: true as const, scopes: [...SCOPES] } : parseScopes(input.scopes);
  if (!parsed.ok) throw badRequest('INVALID_SCOPE', `unknown scope "${parsed.bad}"; request any of ${SCOPES.join(', ')}`);
  if (parsed.scopes.length === 0) throw badRequest('INVALID_SCOPE', `request at least one scope of ${SCOPES.join(', ')}`);
  let callback: string | null = null;
  if (mode === 'interactive') {
    if (!input.callback_url) throw badRequest('MISSING_FIELDS', 'interactive mode needs callback_url (a loopback URL such as http://127.0.0.1:PORT/callback); without a local listener use mode "detached"');
    if (!input.code_challenge) throw badRequest('MISSING_FIELDS', 'interactive mode needs code_challenge: the hex SHA-256 of a random code_verifier you keep for the exchange');
    let url: URL;
    try {
      url = new URL(input.callback_url);
    } catch {
      throw badRequest('INVALID_BODY', 'callback_url is not a URL; use http://127.0.0.1:PORT/callback');
    }
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) throw badRequest('INVALID_BODY', 'callback_url must be a loopback http URL (127.0.0.1, [::1] or localhost), so the exchange code never leaves the machine that asked');
    callback = url.toString();
  }
  const id = newId('areq_', 24);
  const pollToken = secret('aap_');
  const request: AgentAuthRequest = {
    id, status: 'pending', mode, client_type: input.client_type, client_name: input.client_name ?? null,
    client_instance_id: input.client_instance_id ?? null, callback_url: callback, scopes: parsed.scopes,
    code_challenge: input.code_challenge ?? null, poll_hash: hashKey(pollToken), exchange_hash: hashKey(pollExchangeCode(pollToken, id)),
    finish_hash: null, account_id: null, session_id: null, created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + config.agentSessions.requestTtlMin * 60_000).toISOString(), decided_at: null,
  };
  await recordRequest(meta, request, now);
  return {
    auth_request_id: id, authorize_url: `${baseUrl}/agent-sessions/authorize/${id}`, mode, poll_token: pollToken,
    scopes: parsed.scopes, expires_at: request.expires_at, poll_interval_seconds: POLL_INTERVAL_SECONDS,
  };
}

/** The request a page or a client names: 404 unknown, 410 expired (its status becomes `expired`). */
export async function liveRequest(meta: MetaStore, id: string, now = new Date()): Promise<AgentAuthRequest> {
  const r = /^areq_[a-z0-9]{24}$/.test(id) ? await meta.agentRequest(id) : null;
  if (!r) throw notFound('no such agent sign-in request; start a new one (agent-analytics login)', 'AUTH_REQUEST_NOT_FOUND');
  if ((r.status === 'pending' || r.status === 'approved') && r.expires_at <= now.toISOString()) {
    await meta.updateAgentRequest(id, r.status, { status: 'expired' });
    r.status = 'expired';
  }
  if (r.status === 'expired') throw new ApiError(410, 'AUTH_REQUEST_EXPIRED', 'this agent sign-in request has expired; start a new one (agent-analytics login)');
  return r;
}

/**
 * The person's decision on the approval page; on approval, the code for the browser (callback or to paste).
 * `granted` narrows the requested scopes (the person unticked some); null grants them all.
 */
export async function decide(meta: MetaStore, id: string, account: Account, approve: boolean, granted: readonly string[] | null = null, now = new Date()): Promise<{ request: AgentAuthRequest; code: string | null }> {
  const r = await liveRequest(meta, id, now);
  if (r.status !== 'pending') throw conflict('AUTH_REQUEST_DECIDED', `this request was already ${r.status}; start a new one to decide again`);
  const scopes = granted === null ? r.scopes : r.scopes.filter((s) => granted.includes(s));
  if (approve && scopes.length === 0) throw badRequest('INVALID_SCOPE', 'tick at least one scope to approve, or deny the request');
  const code = approve ? secret() : null;
  const ok = await meta.updateAgentRequest(id, 'pending', approve
    ? { status: 'approved', account_id: account.id, finish_hash: hashKey(code!), decided_at: now.toISOString(), scopes }
    : { status: 'denied', account_id: account.id, decided_at: now.toISOString() });
  if (!ok) throw conflict('AUTH_REQUEST_DECIDED', 'this request was decided in another window; start a new one to decide again');
  return { request: { ...r, status: approve ? 'approved' : 'denied', scopes }, code };
}

export async function poll(meta: MetaStore, id: string, pollToken: string, now = new Date()) {
  const r = await meta.agentRequest(id);
  if (!r || !sameHash(r.poll_hash, hashKey(pollToken))) throw notFound('no agent sign-in request with this id and poll_token', 'AUTH_REQUEST_NOT_FOUND');
  const expired = (r.status === 'pending' || r.status === 'approved') && r.expires_at <= now.toISOString();
  if (expired) await meta.updateAgentRequest(id, r.status, { status: 'expired' });
  const status = expired ? 'expired' : r.status;
  return { auth_request_id: id, status, ...(status === 'approved' ? { exchange_code: pollExchangeCode(pollToken, id) } : {}), expires_at: r.expires_at };
}

function newTokens(config: Config, sessionId: string, now: Date) {
  const access = secret('aas_');
  const refresh = secret('aar_');
  const accessExpires = new Date(now.getTime() + config.agentSessions.accessTtlMin * 60_000).toISOString();
  const refreshExpires = new Date(now.getTime() + config.agentSessions.refreshTtlDays * 86_400_000).toISOString();
  const rows: AgentToken[] = [
    { hash: hashKey(access), session_id: sessionId, kind: 'access', expires_at: accessExpires, retired_at: null },
    { hash: hashKey(refresh), session_id: sessionId, kind: 'refresh', expires_at: refreshExpires, retired_at: null },
  ];
  return { access, refresh, accessExpires, refreshExpires, rows };
}

const tokensView = (s: AgentSession, t: ReturnType<typeof newTokens>) => ({
  id: s.id, access_token: t.access, refresh_token: t.refresh, scopes: s.scopes as Scope[], access_expires_at: t.accessExpires, refresh_expires_at: t.refreshExpires,
});

export async function exchange(config: Config, meta: MetaStore, input: { auth_request_id: string; exchange_code: string; code_verifier?: string }, now = new Date()) {
  const r = await liveRequest(meta, input.auth_request_id, now);
  if (r.status === 'exchanged') throw conflict('AUTH_REQUEST_ALREADY_EXCHANGED', 'auth request already exchanged');
  if (r.status === 'pending') throw conflict('INVALID_STATE', 'auth request is not ready');
  if (r.status === 'denied') throw forbidden('the sign-in request was denied in the browser', 'AUTH_REQUEST_DENIED');
  if (r.status === 'revoked') throw forbidden('the session of this request was revoked; start a new sign-in', 'AUTH_REQUEST_REVOKED');
  const codeHash = hashKey(input.exchange_code);
  if (!sameHash(r.finish_hash, codeHash) && !sameHash(r.exchange_hash, codeHash)) throw badRequest('INVALID_EXCHANGE_CODE', 'exchange_code does not match this request; use the code from the approval page, the callback or POST /agent-sessions/poll');
  if (r.code_challenge !== null) {
    if (!input.code_verifier) throw badRequest('MISSING_FIELDS', 'code_verifier is required: this request was started with a code_challenge');
    if (!sameHash(r.code_challenge, sha256hex(input.code_verifier))) throw badRequest('INVALID_CODE_VERIFIER', 'code_verifier does not match the code_challenge sent to /agent-sessions/start');
  }
  const account = r.account_id ? await meta.getAccount(r.account_id) : null;
  if (!account) throw notFound('the approving account no longer exists', 'AUTH_REQUEST_NOT_FOUND');
  const session: AgentSession = {
    id: newId('as_', 24), account_id: account.id, auth_request_id: r.id, client_type: r.client_type, client_name: r.client_name,
    scopes: r.scopes, created_at: now.toISOString(), last_used_at: null, refresh_expires_at: '', revoked_at: null,
  };
  const t = newTokens(config, session.id, now);
  session.refresh_expires_at = t.refreshExpires;
  if (!(await meta.createAgentSession(session, t.rows))) throw conflict('AUTH_REQUEST_ALREADY_EXCHANGED', 'auth request already exchanged');
  return { agent_session: tokensView(session, t), account: { id: account.id, email: account.email, github_login: account.github_login, tier: account.tier } };
}

const REFRESH_DEAD = (why: string) => new ApiError(401, 'AUTH_REQUIRED', `${why}; sign in again (agent-analytics login)`);

/** Rotate: the old refresh token dies, a new pair is issued. A retired token presented again revokes the session. */
export async function refresh(config: Config, meta: MetaStore, refreshToken: string, invalidate: (hashes: string[]) => Promise<void>, now = new Date()) {
  const found = refreshToken.startsWith('aar_') ? await meta.agentToken(hashKey(refreshToken)) : null;
  if (!found || found.token.kind !== 'refresh') throw REFRESH_DEAD('unknown refresh token');
  const { token, session } = found;
  if (session.revoked_at !== null) throw REFRESH_DEAD('this agent session was revoked');
  if (token.retired_at !== null) {
    // Reuse of a rotated token: someone else may hold a copy. End the session for everyone.
    await invalidate(await meta.revokeAgentSession(session.id, now.toISOString()));
    throw REFRESH_DEAD('this refresh token was already used, so the session has been revoked in case it leaked');
  }
  if (token.expires_at <= now.toISOString()) throw REFRESH_DEAD('this refresh token has expired');
  const t = newTokens(config, session.id, now);
  const retired = await meta.rotateAgentTokens(session.id, token.hash, t.rows, t.refreshExpires, now.toISOString());
  if (!retired) {
    await invalidate(await meta.revokeAgentSession(session.id, now.toISOString()));
    throw REFRESH_DEAD('this refresh token was used twice at once, so the session has been revoked');
  }
  await invalidate(retired);
  return { agent_session: tokensView(session, t) };
}

/** Revoke a session of `account`; the caller decides who may (its own session, or the owner any). */
export async function revokeSession(meta: MetaStore, account: Account, sessionId: string, invalidate: (hashes: string[]) => Promise<void>, now = new Date()): Promise<void> {
  const s = await meta.agentSession(sessionId);
  if (!s || s.account_id !== account.id || s.revoked_at !== null) throw notFound(`no active agent session ${sessionId} on this account; list them with GET /account/agent-sessions`, 'SESSION_NOT_FOUND');
  await invalidate(await meta.revokeAgentSession(sessionId, now.toISOString()));
}

/** The account's sessions that can still be used or renewed (revoked and fully expired ones are left out). */
export async function listSessions(meta: MetaStore, account: Account, currentId: string | null, now = new Date()) {
  const sessions = (await meta.listAgentSessions(account.id)).filter((s) => s.refresh_expires_at > now.toISOString());
  return sessions.map((s) => ({
    id: s.id, client_type: s.client_type, client_name: s.client_name, scopes: s.scopes as Scope[], created_at: s.created_at,
    last_used_at: s.last_used_at, refresh_expires_at: s.refresh_expires_at, current: s.id === currentId,
  }));
}
