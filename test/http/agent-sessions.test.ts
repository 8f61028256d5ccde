// Agent sessions end to end over HTTP (Appendix A, issue 16): start, the approval page (sign-in by owner key or
// dashboard session, approve/deny, 404/410), poll, exchange (verifier, 409), refresh rotation and reuse
// detection, revoke, listing, scopes on aas_ tokens, tenant isolation, and expiry under a controlled clock.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ENDED_KEEP_MS, liveRequest, refresh, startRequest } from '../../src/accounts/agent-sessions.js';
import { KeyCache } from '../../src/accounts/key-cache.js';
import { approvedSession, postApproval } from '../helpers/agent-sessions.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ AA_AGENT_ACCESS_TTL_MIN: '5', AA_AGENT_REFRESH_TTL_DAYS: '2', AA_AGENT_REQUEST_TTL_MIN: '10' });
});
after(async () => t.close());

const json = (method: string, url: string, payload?: unknown, bearer?: string) => t.app.inject({
  method: method as 'POST', url,
  headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
  ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
});
const form = (id: string, fields: Record<string, string>, headers: Record<string, string> = {}) => postApproval(t.app, id, fields, headers);
const detachedSession = async (scopes: string[], key = t.ownerKey) => {
  const s = await approvedSession(t.app, key, scopes);
  assert.equal(s.polled.status, 'approved');
  return s;
};

describe('start', () => {
  test('201 with an approval URL; validation errors say what to send', async () => {
    const verifier = randomBytes(32).toString('hex');
    const res = await json('POST', '/agent-sessions/start', {
      mode: 'interactive', client_type: 'cli', callback_url: 'http://127.0.0.1:5555/callback', scopes: ['analytics:read'],
      code_challenge: createHash('sha256').update(verifier).digest('hex'),
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.match(body.auth_request_id, /^areq_[a-z0-9]{24}$/);
    assert.equal(body.authorize_url, `http://localhost:80/agent-sessions/authorize/${body.auth_request_id}`);
    assert.deepEqual(body.scopes, ['analytics:read']);
    const bad = async (payload: unknown, code: string, re: RegExp) => {
      const r = await json('POST', '/agent-sessions/start', payload);
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().error, code);
      assert.match(r.json().message, re);
    };
    await bad({ mode: 'detached', client_type: 'cli', scopes: ['everything'] }, 'INVALID_SCOPE', /unknown scope "everything"/);
    await bad({ mode: 'interactive', client_type: 'cli', code_challenge: 'a'.repeat(64) }, 'MISSING_FIELDS', /callback_url/);
    await bad({ mode: 'interactive', client_type: 'cli', callback_url: 'https://evil.example/cb', code_challenge: 'a'.repeat(64) }, 'INVALID_BODY', /loopback/);
    await bad({ mode: 'interactive', client_type: 'cli', callback_url: 'http://127.0.0.1:1/cb' }, 'MISSING_FIELDS', /code_challenge/);
  });
});

describe('approval page', () => {
  test('404 for an unknown request, 410 once expired (HTML both)', async () => {
    const missing = await t.app.inject({ url: '/agent-sessions/authorize/areq_aaaaaaaaaaaaaaaaaaaaaaaa' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /text\/html/);
    const started = (await json('POST', '/agent-sessions/start', { mode: 'detached', client_type: 'cli' })).json();
    await assert.rejects(liveRequest(t.stores.meta, started.auth_request_id, new Date(Date.now() + 11 * 60_000)), (e: { status: number }) => e.status === 410);
    const gone = await t.app.inject({ url: `/agent-sessions/authorize/${started.auth_request_id}` });
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /expired/);
  });

  test('a new request prunes requests that expired over a day ago, so unauthenticated starts cannot grow the tables', async () => {
    const old = (await json('POST', '/agent-sessions/start', { mode: 'detached', client_type: 'cli' })).json();
    const later = new Date(Date.now() + 10 * 60_000 + ENDED_KEEP_MS + 1000);
    await startRequest(t.config, t.stores.meta, { mode: 'detached', client_type: 'cli' }, 'http://127.0.0.1', later);
    assert.equal(await t.stores.meta.agentRequest(old.auth_request_id), null);
  });

  test('shows who asks and what for; a wrong key is refused on the page; deny ends the request', async () => {
    const started = (await json('POST', '/agent-sessions/start', { mode: 'detached', client_type: 'mcp', client_name: '<b>Bot</b>', scopes: ['live:read'] })).json();
    const page = await t.app.inject({ url: `/agent-sessions/authorize/${started.auth_request_id}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /&#60;b&#62;Bot&#60;\/b&#62;/, 'client name is escaped');
    assert.match(page.body, /<code>live:read<\/code>/);
    assert.doesNotMatch(page.body, /analytics:read/);
    assert.match(page.headers['content-security-policy'] as string, /default-src 'none'/);
    const wrong = await form(started.auth_request_id, { decision: 'approve', api_key: `aak_${'9'.repeat(48)}` });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /role="alert"/);
    const cross = await form(started.auth_request_id, { decision: 'approve', api_key: t.ownerKey }, { origin: 'https://evil.example' });
    assert.equal(cross.statusCode, 403);
    const denied = await form(started.auth_request_id, { decision: 'deny', api_key: t.ownerKey });
    assert.equal(denied.statusCode, 200);
    assert.match(denied.body, /Access denied/);
    const polled = (await json('POST', '/agent-sessions/poll', { auth_request_id: started.auth_request_id, poll_token: started.poll_token })).json();
    assert.equal(polled.status, 'denied');
    assert.equal(polled.exchange_code, undefined);
    assert.equal((await t.app.inject({ url: `/agent-sessions/authorize/${started.auth_request_id}` })).statusCode, 409);
  });

  test('a named key cannot approve (only the owner); a dashboard session can, without pasting a key', async () => {
    const named = (await t.request('POST', '/account/keys', { name: 'n', scopes: ['account:read'] })).json().api_key;
    const started = (await json('POST', '/agent-sessions/start', { mode: 'detached', client_type: 'cli' })).json();
    const byNamed = await form(started.auth_request_id, { decision: 'approve', api_key: named });
    assert.equal(byNamed.statusCode, 401);
    assert.match(byNamed.body, /owner key/);
    const signIn = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: 'http://localhost:80', host: 'localhost:80', 'content-type': 'application/json' }, payload: { api_key: t.ownerKey } });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const page = await t.app.inject({ url: `/agent-sessions/authorize/${started.auth_request_id}`, headers: { cookie } });
    assert.match(page.body, /Signed in as/);
    assert.doesNotMatch(page.body, /type="password"/);
    const ok = await form(started.auth_request_id, { decision: 'approve' }, { cookie });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Finish code/);
  });

  test('interactive: approval redirects to the loopback callback with the code; the verifier is checked', async () => {
    const verifier = randomBytes(32).toString('hex');
    const started = (await json('POST', '/agent-sessions/start', {
      mode: 'interactive', client_type: 'cli', callback_url: 'http://127.0.0.1:5555/callback', code_challenge: createHash('sha256').update(verifier).digest('hex'),
    })).json();
    const page = await t.app.inject({ url: `/agent-sessions/authorize/${started.auth_request_id}` });
    assert.match(page.headers['content-security-policy'] as string, /form-action 'self' http:\/\/127\.0\.0\.1:5555/);
    const res = await form(started.auth_request_id, { decision: 'approve', api_key: t.ownerKey });
    assert.equal(res.statusCode, 303);
    const back = new URL(res.headers.location as string);
    assert.equal(back.origin + back.pathname, 'http://127.0.0.1:5555/callback');
    assert.equal(back.searchParams.get('request_id'), started.auth_request_id);
    const code = back.searchParams.get('exchange_code')!;
    const noVerifier = await json('POST', '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: code });
    assert.equal(noVerifier.json().error, 'MISSING_FIELDS');
    const badVerifier = await json('POST', '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: code, code_verifier: 'x' });
    assert.equal(badVerifier.json().error, 'INVALID_CODE_VERIFIER');
    const badCode = await json('POST', '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: 'nope', code_verifier: verifier });
    assert.equal(badCode.json().error, 'INVALID_EXCHANGE_CODE');
    const ok = await json('POST', '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: code, code_verifier: verifier });
    assert.equal(ok.statusCode, 200, ok.body);
    const again = await json('POST', '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: code, code_verifier: verifier });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { error: 'AUTH_REQUEST_ALREADY_EXCHANGED', message: 'auth request already exchanged' });
  });
});

describe('tokens', () => {
  test('an aas_ token works within its scopes only, never rotates the key, and is stored only as a hash', async () => {
    await t.newProject(t.ownerKey, 'scoped-site');
    const s = await detachedSession(['analytics:read', 'projects:read']);
    const tok = s.agent_session;
    assert.match(tok.access_token, /^aas_[A-Za-z0-9_-]{43}$/);
    assert.match(tok.refresh_token, /^aar_[A-Za-z0-9_-]{43}$/);
    assert.equal(s.account.email.length > 0, true);
    assert.equal((await json('GET', '/projects', undefined, tok.access_token)).statusCode, 200);
    assert.equal((await json('GET', '/stats?project=scoped-site', undefined, tok.access_token)).statusCode, 200);
    const write = await json('POST', '/projects', { name: 'nope' }, tok.access_token);
    assert.equal(write.statusCode, 403);
    assert.match(write.json().message, /"projects:write"/);
    const rotate = await json('POST', '/account/revoke-key', undefined, tok.access_token);
    assert.equal(rotate.statusCode, 403);
    assert.equal(rotate.json().error, 'INSUFFICIENT_SCOPE');
    const asRefresh = await json('GET', '/projects', undefined, tok.refresh_token);
    assert.equal(asRefresh.statusCode, 401);
    assert.match(asRefresh.json().message, /POST \/agent-sessions\/refresh/);
    const { readFileSync, readdirSync } = await import('node:fs');
    const sqlite = readdirSync(t.dir).filter((f) => f.endsWith('.sqlite') || f.endsWith('.db')).map((f) => readFileSync(`${t.dir}/${f}`).toString('latin1')).join('');
    assert.ok(sqlite.length > 0);
    assert.ok(!sqlite.includes(tok.access_token) && !sqlite.includes(tok.refresh_token) && !sqlite.includes(s.started.poll_token), 'a raw token is in the SQLite file');
  });

  test('refresh rotates; replaying an old refresh token revokes the session', async () => {
    const s = await detachedSession(['account:read']);
    const first = s.agent_session;
    const r1 = await json('POST', '/agent-sessions/refresh', { refresh_token: first.refresh_token });
    assert.equal(r1.statusCode, 200, r1.body);
    const second = r1.json().agent_session;
    assert.equal(second.id, first.id);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal((await json('GET', '/account', undefined, first.access_token)).statusCode, 401, 'the old access token died with the rotation');
    assert.equal((await json('GET', '/account', undefined, second.access_token)).statusCode, 200);
    const replay = await json('POST', '/agent-sessions/refresh', { refresh_token: first.refresh_token });
    assert.equal(replay.statusCode, 401);
    assert.match(replay.json().message, /already used/);
    assert.equal((await json('GET', '/account', undefined, second.access_token)).statusCode, 401, 'reuse revoked the whole session');
    assert.equal((await json('POST', '/agent-sessions/refresh', { refresh_token: second.refresh_token })).statusCode, 401);
  });

  test('expiry under a controlled clock: access minutes, refresh days', async () => {
    const s = await detachedSession(['account:read']);
    const keys = new KeyCache(t.stores.meta, t.stores.counters);
    const in4 = new Date(Date.now() + 4 * 60_000);
    const in6 = new Date(Date.now() + 6 * 60_000);
    assert.notEqual(typeof (await keys.resolve(s.agent_session.access_token, in4)), 'string');
    assert.equal(await keys.resolve(s.agent_session.access_token, in6), 'expired');
    await assert.rejects(refresh(t.config, t.stores.meta, s.agent_session.refresh_token, async () => {}, new Date(Date.now() + 3 * 86_400_000)), /expired/);
    const fine = await refresh(t.config, t.stores.meta, s.agent_session.refresh_token, async () => {}, in6);
    assert.match(fine.agent_session.access_token, /^aas_/);
  });

  test('revoke: a session revokes itself; the owner revokes any; listing shows created/last used/expiry', async () => {
    const a = await detachedSession(['account:read']);
    const b = await detachedSession(['account:read']);
    const list = (await json('GET', '/account/agent-sessions', undefined, a.agent_session.access_token)).json().agent_sessions;
    const mine = list.find((x: { id: string }) => x.id === a.agent_session.id);
    assert.equal(mine.current, true);
    assert.ok(mine.created_at && mine.refresh_expires_at && 'last_used_at' in mine);
    const other = await json('POST', '/agent-sessions/revoke', { session_id: b.agent_session.id }, a.agent_session.access_token);
    assert.equal(other.statusCode, 403);
    const self = await json('POST', '/agent-sessions/revoke', {}, a.agent_session.access_token);
    assert.deepEqual(self.json(), { ok: true, session_id: a.agent_session.id });
    assert.equal((await json('GET', '/account', undefined, a.agent_session.access_token)).statusCode, 401);
    const byOwner = await t.request('POST', '/agent-sessions/revoke', { session_id: b.agent_session.id });
    assert.equal(byOwner.statusCode, 200);
    assert.equal((await json('GET', '/account', undefined, b.agent_session.access_token)).statusCode, 401);
    assert.equal((await t.request('POST', '/agent-sessions/revoke', { session_id: b.agent_session.id })).statusCode, 404);
  });

  test('tenant isolation: a token of account B never reads account A', async () => {
    const other = await t.newAccount('pro');
    const s = await detachedSession(['analytics:read', 'projects:read', 'account:read'], other);
    await t.newProject(t.ownerKey, 'owner-only');
    const read = await json('GET', '/stats?project=owner-only', undefined, s.agent_session.access_token);
    assert.equal(read.statusCode, 404);
    const projects = (await json('GET', '/projects', undefined, s.agent_session.access_token)).json().projects;
    assert.deepEqual(projects, []);
    const ownerSessions = (await t.request('GET', '/account/agent-sessions')).json().agent_sessions.map((x: { id: string }) => x.id);
    assert.ok(!ownerSessions.includes(s.agent_session.id));
    assert.equal((await t.request('POST', '/agent-sessions/revoke', { session_id: s.agent_session.id })).statusCode, 404);
  });
});
