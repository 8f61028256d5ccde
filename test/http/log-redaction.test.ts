// No credential reaches a log line: every way a credential can be sent (X-API-Key, Bearer, ?key=, admin
// token, project token in the body and in ?token=) is driven with logging at trace, through successes, 401s,
// 404s, 405s and validation errors, and the captured log is searched for each secret.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { redactSecrets } from '../../src/http/logging.js';
import { approvedSession } from '../helpers/agent-sessions.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ADMIN = 'admin-secret-that-must-not-be-logged';
const WRONG_KEY = `aak_${'7'.repeat(48)}`;
let t: TestApp;
const lines: string[] = [];

before(async () => {
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  t = await startTestApp({ AA_ADMIN_TOKEN: ADMIN }, { logger: { level: 'trace', stream } });
});
after(async () => t.close());

test('every credential transport, logged at trace, leaves no secret in the log', async () => {
  const key = t.ownerKey;
  const project = await t.newProject(key, 'logged');
  const token = project.project_token;
  const mcp = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const requests: InjectOptions[] = [
    { url: '/account', headers: { 'x-api-key': key } },
    { url: '/account', headers: { authorization: `Bearer ${key}` } },
    { url: `/account?key=${key}` },
    { url: `/stats?project=logged&key=${key}` },
    { url: `/stats?project=logged&since=nonsense&key=${key}` }, // 400 at warn
    { url: `/nowhere?key=${key}` }, // 404
    { url: `/account?key=${WRONG_KEY}` }, // 401 at warn
    { method: 'POST', url: `/mcp?key=${key}`, headers: mcp, payload: rpc },
    { method: 'GET', url: `/mcp?key=${key}` }, // 405 at warn
    { method: 'DELETE', url: `/mcp?key=${key}` },
    { url: '/admin/accounts', headers: { authorization: `Bearer ${ADMIN}` } },
    { url: `/admin/accounts?admin_token=${ADMIN}` },
    { url: `/experiments/config?token=${token}` },
    { method: 'POST', url: '/track', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ token, event: 'x' }) },
    { method: 'POST', url: `/track?token=${token}`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ event: 'x' }) },
    { method: 'POST', url: `/track?token=${token}`, payload: 'not json' }, // 400
    { method: 'POST', url: '/identify', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ token, previous_id: 'a', user_id: 'b' }) },
    { url: `/projects/${project.id}?key=${key}&x=1` },
    { method: 'OPTIONS', url: `/stats?key=${key}`, headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } },
  ];
  for (const r of requests) await t.app.inject(r);
  const log = lines.join('');
  assert.ok(lines.length >= requests.length * 2, `the app logged only ${lines.length} lines at trace`);
  assert.match(log, /"url":"\/account\?key=\[REDACTED\]"/, 'request lines keep the URL, with the credential masked');
  assert.match(log, /"level":40/, 'the 4xx answers were logged at warn');
  for (const secret of [key, key.slice(4), WRONG_KEY, ADMIN, token, token.slice(4)]) {
    assert.ok(!log.includes(secret), `a log line contains ${secret.slice(0, 8)}…:\n${lines.find((l) => l.includes(secret))}`);
  }
});

test('redactSecrets masks credential parameters by name and our credential formats anywhere', () => {
  const key = `aak_${'a1'.repeat(24)}`;
  assert.equal(redactSecrets(`/stats?project=p&key=${key}&since=7d`), '/stats?project=p&key=[REDACTED]&since=7d');
  assert.equal(redactSecrets('/x?token=aat_abc123def456'), '/x?token=[REDACTED]');
  assert.equal(redactSecrets('/x?access_token=opaque&refresh_token=other'), '/x?access_token=[REDACTED]&refresh_token=[REDACTED]');
  assert.equal(redactSecrets(`failed for ${key} at /p/aas_0123456789/q`), 'failed for aak_[REDACTED] at /p/aas_[REDACTED]/q');
  assert.equal(redactSecrets('/stats?project=key&monkey=1'), '/stats?project=key&monkey=1');
  // An OAuth authorization code is unprefixed: masked by its parameter name wherever a client puts it in a URL.
  assert.equal(redactSecrets('/oauth/token?grant_type=authorization_code&code=Zx9-opaque&state=s'), '/oauth/token?grant_type=authorization_code&code=[REDACTED]&state=s');
  assert.equal(redactSecrets('/x?zipcode=12345'), '/x?zipcode=12345');
});

test('agent-session secrets (poll token, exchange code, aas_/aar_ tokens, named keys) never reach the log', async () => {
  const before = lines.length;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
  const { started, polled, agent_session: session } = await approvedSession(t.app, t.ownerKey);
  const next = (await post('/agent-sessions/refresh', { refresh_token: session.refresh_token })).json().agent_session;
  await post('/agent-sessions/refresh', { refresh_token: session.refresh_token }); // reuse: 401 at warn
  await t.app.inject({ url: '/account', headers: { authorization: `Bearer ${next.access_token}` } });
  await t.app.inject({ url: `/account?key=${next.access_token}` });
  await t.app.inject({ url: `/account?key=${session.refresh_token}` });
  const named = (await post('/account/keys', { name: 'n', scopes: ['account:read'] }, { 'x-api-key': t.ownerKey })).json().api_key;
  await t.app.inject({ url: `/projects?key=${named}` }); // 403 at warn
  await t.app.inject({ url: `/x/cb?request_id=r&exchange_code=${polled.exchange_code}` });
  const log = lines.slice(before).join('');
  assert.ok(log.length > 0);
  for (const secret of [started.poll_token, polled.exchange_code, session.access_token, session.refresh_token, next.access_token, next.refresh_token, named, named.slice(4)]) {
    assert.ok(!log.includes(secret), `a log line contains ${secret.slice(0, 8)}…:\n${lines.slice(before).find((l) => l.includes(secret))}`);
  }
  assert.equal(redactSecrets('poll aap_0123456789abcdef'), 'poll aap_[REDACTED]');
});
