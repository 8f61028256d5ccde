// OAuth 2.1 for MCP clients (issue 16, item 5), built on agent sessions: an /authorize request becomes an
// agent sign-in request that a person approves on the same page, and /token trades its code (with the PKCE
// verifier) for the same aas_/aar_ pair that POST /agent-sessions/exchange returns.
//
// Registration (RFC 7591) is open, as the MCP specification expects, so there is nothing to keep secret about a
// client: its client_id *is* its metadata (client name and redirect URIs, base64url JSON), and every use
// re-validates it. No table, nothing to clean up, and every replica understands every client_id.
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { AgentAuthRequest, MetaStore } from '../store/ports.js';
import { exchange, liveRequest, recordRequest, refresh } from './agent-sessions.js';
import { hashKey, newId } from './credentials.js';
import { SCOPES, type Scope } from './scopes.js';

/** The client_type of sessions that came through OAuth (what the approval page and the session list show). */
export const OAUTH_CLIENT_TYPE = 'mcp';
const CLIENT_PREFIX = 'aac_';
/** Granted when an authorization request names no scope: least privilege, read-only. */
export const DEFAULT_SCOPES: readonly Scope[] = ['account:read', 'projects:read', 'analytics:read', 'live:read'];
const MAX_REDIRECT_URIS = 5;
const MAX_URI_LENGTH = 512;
const MAX_NAME_LENGTH = 100;
/** Parameters this server puts on the redirect; a registered redirect URI may not carry them itself. */
const RESPONSE_PARAMS = ['code', 'state', 'error', 'error_description', 'iss'];
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** An OAuth error (RFC 6749 §5.2, RFC 7591 §3.2.2): `error` is the OAuth code, `error_description` says how to fix it. */
export class OAuthError extends ApiError {
  constructor(status: number, readonly oauthCode: string, description: string) {
    super(status, oauthCode, description, { error_description: description });
  }
}
const invalidRequest = (d: string) => new OAuthError(400, 'invalid_request', d);
const invalidGrant = (d: string) => new OAuthError(400, 'invalid_grant', d);

export interface OAuthClient {
  client_id: string;
  client_name: string | null;
  redirect_uris: string[];
}

const isLoopback = (url: URL): boolean => url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';

/** A redirect URI this server will send codes to: https anywhere, or plain http to a loopback address (RFC 8252 §7.3). */
function redirectProblem(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_LENGTH) return `each redirect URI must be a string of 1 to ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI ${JSON.stringify(uri)} is not an absolute URL`;
  }
  if (url.hash) return `redirect URI ${uri} must not have a fragment (RFC 6749 §3.1.2)`;
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url)))) return `redirect URI ${uri} must use https, or http to a loopback address (127.0.0.1, [::1] or localhost)`;
  const reserved = RESPONSE_PARAMS.find((p) => url.searchParams.has(p));
  if (reserved) return `redirect URI ${uri} must not carry the "${reserved}" parameter: the server adds it`;
  return null;
}

const invalidMetadata = (d: string) => new OAuthError(400, 'invalid_client_metadata', d);

/**
 * RFC 7591 registration. Public clients only (PKCE is the proof), so token_endpoint_auth_method is always
 * "none" and no secret is issued: the answer states the values in force, as §3.2.1 allows.
 */
export function registerClient(body: unknown, now = new Date()) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidMetadata('send the client metadata as a JSON object, e.g. {"client_name":"My agent","redirect_uris":["http://127.0.0.1:8765/callback"]}');
  const m = body as Record<string, unknown>;
  const uris = m.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) throw new OAuthError(400, 'invalid_redirect_uri', 'redirect_uris is required: a list of 1 to 5 https or loopback http URLs');
  if (uris.length > MAX_REDIRECT_URIS) throw new OAuthError(400, 'invalid_redirect_uri', `at most ${MAX_REDIRECT_URIS} redirect_uris`);
  for (const u of uris) {
    const problem = redirectProblem(u);
    if (problem) throw new OAuthError(400, 'invalid_redirect_uri', problem);
  }
  if (m.client_name !== undefined && (typeof m.client_name !== 'string' || m.client_name.length > MAX_NAME_LENGTH)) throw invalidMetadata(`client_name must be a string of at most ${MAX_NAME_LENGTH} characters`);
  const listOf = (field: string, allowed: string[]) => {
    const v = m[field];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.some((x) => !allowed.includes(x))) throw invalidMetadata(`${field} may contain only ${allowed.join(', ')}`);
  };
  listOf('grant_types', ['authorization_code', 'refresh_token']);
  listOf('response_types', ['code']);
  if (m.scope !== undefined) {
    if (typeof m.scope !== 'string') throw invalidMetadata('scope must be a space-separated string');
    const bad = m.scope.split(' ').filter(Boolean).find((s) => !(SCOPES as readonly string[]).includes(s));
    if (bad) throw invalidMetadata(`unknown scope "${bad}"; use any of ${SCOPES.join(' ')}`);
  }
  const client_name = (m.client_name as string | undefined) ?? null;
  const redirect_uris = uris as string[];
  const client_id = CLIENT_PREFIX + Buffer.from(JSON.stringify({ n: client_name, r: redirect_uris })).toString('base64url');
  return {
    client_id, client_id_issued_at: Math.floor(now.getTime() / 1000), client_name: client_name ?? undefined, redirect_uris,
    grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none',
    ...(typeof m.scope === 'string' ? { scope: m.scope } : {}),
  };
}

/** The client a client_id describes, re-validated (anyone can write one), or null. */
export function parseClientId(clientId: unknown): OAuthClient | null {
  if (typeof clientId !== 'string' || !clientId.startsWith(CLIENT_PREFIX) || clientId.length > 4096) return null;
  try {
    const { n, r } = JSON.parse(Buffer.from(clientId.slice(CLIENT_PREFIX.length), 'base64url').toString('utf8')) as { n: unknown; r: unknown };
    if (!(n === null || (typeof n === 'string' && n.length <= MAX_NAME_LENGTH))) return null;
    if (!Array.isArray(r) || r.length === 0 || r.length > MAX_REDIRECT_URIS || r.some((u) => redirectProblem(u) !== null)) return null;
    return { client_id: clientId, client_name: n, redirect_uris: r as string[] };
  } catch {
    return null;
  }
}

/** Scopes of an OAuth `scope` parameter (space-separated); none named means DEFAULT_SCOPES. */
export function oauthScopes(scope: unknown): { ok: true; scopes: Scope[] } | { ok: false; bad: string } {
  if (scope === undefined || scope === '') return { ok: true, scopes: [...DEFAULT_SCOPES] };
  if (typeof scope !== 'string') return { ok: false, bad: String(scope) };
  const asked = scope.split(' ').filter(Boolean);
  const bad = asked.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad !== undefined) return { ok: false, bad };
  return { ok: true, scopes: SCOPES.filter((s) => asked.includes(s)) };
}

/** Where the browser goes back to: the redirect URI, plus `state` when the client sent one. */
function withState(redirectUri: string, state: string | undefined): string {
  const url = new URL(redirectUri);
  if (state !== undefined) url.searchParams.set('state', state);
  return url.toString();
}
const withoutState = (uri: string): string => {
  const url = new URL(uri);
  url.searchParams.delete('state');
  return url.toString();
};

export type AuthorizeOutcome =
  /** Client or redirect URI unusable: show the error, never redirect (RFC 6749 §4.1.2.1). */
  | { kind: 'page'; message: string }
  /** Anything else wrong: back to the client with an OAuth error. */
  | { kind: 'redirect'; url: string }
  /** A pending agent sign-in request for the approval page. */
  | { kind: 'approve'; id: string };

/** GET /oauth/authorize: validate, then record the request exactly as /agent-sessions/start would. */
export async function authorize(config: Config, meta: MetaStore, q: Record<string, unknown>, baseUrl: string, now = new Date()): Promise<AuthorizeOutcome> {
  const client = parseClientId(q.client_id);
  if (!client) return { kind: 'page', message: 'unknown client_id: register the client first with POST /oauth/register (dynamic client registration)' };
  const redirectUri = q.redirect_uri ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (typeof redirectUri !== 'string' || !client.redirect_uris.includes(redirectUri)) return { kind: 'page', message: 'redirect_uri is missing or is not one of the redirect URIs this client registered' };
  const state = typeof q.state === 'string' ? q.state : undefined;
  const back = (error: string, description: string): AuthorizeOutcome => {
    // Registration is open, so an error redirect to a non-loopback URI would make this an open redirector
    // (OAuth security BCP §4.11): errors for those show the page instead; only a person's decision sends them on.
    if (!isLoopback(new URL(redirectUri))) return { kind: 'page', message: `${error}: ${description}` };
    const url = new URL(withState(redirectUri, state));
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    return { kind: 'redirect', url: url.toString() };
  };
  if (q.response_type !== 'code') return back('unsupported_response_type', 'response_type must be "code"');
  if (q.code_challenge_method !== 'S256') return back('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
  const challenge = typeof q.code_challenge === 'string' ? q.code_challenge : '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back('invalid_request', 'code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)');
  const scopes = oauthScopes(q.scope);
  if (!scopes.ok) return back('invalid_scope', `unknown scope "${scopes.bad}"; request any of ${SCOPES.join(' ')}`);
  if (q.resource !== undefined) {
    let same = false;
    try {
      same = typeof q.resource === 'string' && new URL(q.resource).origin === new URL(baseUrl).origin;
    } catch { /* not a URL */ }
    if (!same) return back('invalid_target', `resource must name this server's MCP endpoint, ${baseUrl}/mcp`);
  }
  const request: AgentAuthRequest = {
    id: newId('areq_', 24), status: 'pending', mode: 'interactive', client_type: OAUTH_CLIENT_TYPE, client_name: client.client_name,
    client_instance_id: client.client_id, callback_url: withState(redirectUri, state), scopes: scopes.scopes,
    // The stored challenge is hex (what agent sessions compare); S256 sends base64url of the same digest.
    code_challenge: Buffer.from(challenge, 'base64url').toString('hex'),
    poll_hash: null, exchange_hash: null, finish_hash: null, account_id: null, session_id: null, created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + config.agentSessions.requestTtlMin * 60_000).toISOString(), decided_at: null,
  };
  await recordRequest(meta, request, now);
  return { kind: 'approve', id: request.id };
}

/** Whether an agent sign-in request came through /oauth/authorize (its redirect then speaks OAuth). */
export const isOAuthRequest = (r: AgentAuthRequest): boolean => r.client_type === OAUTH_CLIENT_TYPE && (r.client_instance_id ?? '').startsWith(CLIENT_PREFIX);

/** The redirect after the person decided: code (request id + one-time secret) or access_denied, plus state. */
export function oauthRedirect(r: AgentAuthRequest, code: string | null): string {
  const url = new URL(r.callback_url!);
  if (code) url.searchParams.set('code', `${r.id}.${code}`);
  else {
    url.searchParams.set('error', 'access_denied');
    url.searchParams.set('error_description', 'the person declined the request');
  }
  return url.toString();
}

const tokenView = (config: Config, s: { access_token: string; refresh_token: string; scopes: Scope[] }) => ({
  access_token: s.access_token, token_type: 'Bearer', expires_in: config.agentSessions.accessTtlMin * 60, refresh_token: s.refresh_token, scope: s.scopes.join(' '),
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** POST /oauth/token: authorization_code (with PKCE) or refresh_token (rotating; reuse revokes the session). */
export async function token(config: Config, meta: MetaStore, body: Record<string, unknown>, invalidate: (hashes: string[]) => Promise<void>, now = new Date()) {
  const grant = str(body.grant_type);
  if (!grant) throw invalidRequest('grant_type is required: authorization_code or refresh_token');
  if (grant === 'refresh_token') {
    const rt = str(body.refresh_token);
    if (!rt) throw invalidRequest('refresh_token is required');
    const found = rt.startsWith('aar_') ? await meta.agentToken(hashKey(rt)) : null;
    const clientId = str(body.client_id);
    if (found && clientId !== undefined) {
      // RFC 6749 §6: a refresh token is bound to the client it was issued to.
      const origin = await meta.agentRequest(found.session.auth_request_id);
      if (origin?.client_instance_id !== clientId) throw invalidGrant('this refresh token was issued to another client_id');
    }
    if (body.scope !== undefined) {
      const asked = oauthScopes(body.scope);
      const granted = found?.session.scopes ?? [];
      if (!asked.ok || asked.scopes.length !== granted.length || asked.scopes.some((s) => !granted.includes(s))) {
        throw new OAuthError(400, 'invalid_scope', 'a refresh keeps the scopes that were approved; omit scope (or send exactly the granted ones)');
      }
    }
    try {
      const { agent_session } = await refresh(config, meta, rt, invalidate, now);
      return tokenView(config, agent_session);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw invalidGrant(e.message);
      throw e;
    }
  }
  if (grant !== 'authorization_code') throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grant}" is not supported; use authorization_code or refresh_token`);
  const code = str(body.code);
  const verifier = str(body.code_verifier);
  const clientId = str(body.client_id);
  if (!code) throw invalidRequest('code is required: the code from the redirect after approval');
  if (!verifier) throw invalidRequest('code_verifier is required (PKCE)');
  if (!VERIFIER.test(verifier)) throw invalidRequest('code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)');
  if (!clientId) throw invalidRequest('client_id is required (public client: no secret, but say who you are)');
  const [id, secret] = code.split('.');
  let r: AgentAuthRequest;
  try {
    r = await liveRequest(meta, id ?? '', now);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 410)) throw invalidGrant('the authorization code is unknown or expired; authorize again');
    throw e;
  }
  if (!isOAuthRequest(r) || !secret) throw invalidGrant('the authorization code is unknown or expired; authorize again');
  if (r.client_instance_id !== clientId) throw invalidGrant('the authorization code was issued to another client_id');
  const redirectUri = str(body.redirect_uri);
  if (redirectUri !== undefined && withoutState(r.callback_url!) !== withoutState(redirectUri)) throw invalidGrant('redirect_uri differs from the one sent to /oauth/authorize');
  if (r.status === 'exchanged') {
    // A second use of a code: someone else may hold it, so end the session it produced (RFC 6749 §4.1.2).
    if (r.session_id) await invalidate(await meta.revokeAgentSession(r.session_id, now.toISOString()));
    throw invalidGrant('the authorization code was already used; the session it produced has been revoked, authorize again');
  }
  try {
    const { agent_session } = await exchange(config, meta, { auth_request_id: r.id, exchange_code: secret, code_verifier: verifier }, now);
    return tokenView(config, agent_session);
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) throw invalidGrant(e.code === 'INVALID_CODE_VERIFIER' ? 'code_verifier does not match the code_challenge (PKCE)' : e.message);
    throw e;
  }
}
