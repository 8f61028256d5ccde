// Issue 14, server side of the dashboard: serving (/ → /app/, the shell on every /app/… URL, hashed and
// precompressed assets within the budget) and the session cookie (sign-in, wrong key, sign-out, expiry, CSRF,
// key rotation, stored only as a hash, never logged).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { hashKey } from '../../src/accounts/credentials.js';
import { DASHBOARD_GZIP_BUDGET } from '../../src/dashboard/build.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ORIGIN = 'http://localhost:80';
const HOST = 'localhost:80';

/** Sign in through the API as the dashboard does; returns the cookie pair and the raw Set-Cookie. */
export async function signIn(t: TestApp, key = t.ownerKey): Promise<{ cookie: string; setCookie: string; id: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: ORIGIN, host: HOST }, payload: { api_key: key } });
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = String(res.headers['set-cookie']);
  const id = setCookie.match(/aa_session=([^;]+)/)![1];
  return { cookie: `aa_session=${id}`, setCookie, id };
}

describe('dashboard serving and sessions', () => {
  let t: TestApp;
  const lines: string[] = [];
  before(async () => {
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    t = await startTestApp({ AA_LOG_LEVEL: 'trace' }, { logger: { level: 'trace', stream } });
    await t.newProject(t.ownerKey, 'site');
  });
  after(async () => t.close());

  test('GET / redirects to /app/; every /app/… URL answers the shell; assets are hashed, precompressed and within budget', async () => {
    const root = await t.app.inject({ url: '/' });
    assert.equal(root.statusCode, 302);
    assert.equal(root.headers.location, '/app/');
    for (const url of ['/app', '/app/', '/app/p/site', '/app/p/site/live', '/app/anything/else']) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
      assert.match(res.body, /<div id="root">/);
    }
    const html = (await t.app.inject({ url: '/app/' })).body;
    const script = html.match(/src="(\/app\/assets\/app\.[0-9a-f]{12}\.js)"/)![1];
    const style = html.match(/href="(\/app\/assets\/app\.[0-9a-f]{12}\.css)"/)![1];
    assert.doesNotMatch(html, /https?:\/\//, 'nothing from a CDN');
    const js = await t.app.inject({ url: script, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-encoding'], 'gzip');
    assert.match(String(js.headers['cache-control']), /immutable/);
    const size = js.rawPayload.length;
    assert.ok(size <= DASHBOARD_GZIP_BUDGET, `script is ${size} bytes gzipped, budget ${DASHBOARD_GZIP_BUDGET}`);
    assert.match(gunzipSync(js.rawPayload).toString(), /aa_session|app\/session/);
    assert.equal((await t.app.inject({ url: style })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/app/assets/app.000000000000.js' })).statusCode, 404);
    // API paths are untouched by the app's routes.
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);
    console.log(`dashboard script: ${size} bytes gzipped (budget ${DASHBOARD_GZIP_BUDGET})`);
  });

  test('a wrong key is refused with a clear message and no cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: ORIGIN, host: HOST }, payload: { api_key: `aak_${'9'.repeat(48)}` } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'AUTH_REQUIRED');
    assert.match(res.json().message, /not valid/);
    assert.equal(res.headers['set-cookie'], undefined);
    const empty = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: ORIGIN, host: HOST }, payload: {} });
    assert.equal(empty.statusCode, 400);
  });

  test('sign-in sets an HttpOnly SameSite=Strict cookie of an opaque id stored only as its hash; the API accepts it; sign-out ends it', async () => {
    const { cookie, setCookie, id } = await signIn(t);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'plain http: no Secure flag');
    assert.match(id, /^aad_[A-Za-z0-9_-]{43}$/);
    assert.ok(!id.includes(t.ownerKey.slice(4, 20)), 'the id is not derived from the key');
    // Stored as a hash only.
    const db = readFileSync(join(t.dir, 'meta.sqlite'));
    assert.equal(db.includes(Buffer.from(id)), false, 'the raw id is not in the meta store');
    assert.ok(await t.stores.meta.dashboardSession(hashKey(id), new Date().toISOString()));

    const state = await t.app.inject({ url: '/app/session', headers: { cookie } });
    assert.equal(state.json().authenticated, true);
    const stats = await t.app.inject({ url: '/stats?project=site', headers: { cookie } });
    assert.equal(stats.statusCode, 200);
    assert.ok(stats.headers['x-ratelimit-limit'] !== undefined, 'cookie requests are rate-limited like keys');

    const out = await t.app.inject({ method: 'DELETE', url: '/app/session', headers: { cookie, origin: ORIGIN, host: HOST } });
    assert.equal(out.statusCode, 200);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const after = await t.app.inject({ url: '/stats?project=site', headers: { cookie } });
    assert.equal(after.statusCode, 401);
    assert.match(after.json().message, /session/);
    assert.equal((await t.app.inject({ url: '/app/session', headers: { cookie } })).json().authenticated, false);
  });

  test('CSRF: cookie-authenticated writes from another origin (or with no Origin) are refused and change nothing', async () => {
    const { cookie } = await signIn(t);
    const before = (await t.app.inject({ url: '/projects', headers: { cookie } })).json().projects.length;
    const attempts = [
      { origin: 'https://evil.example', host: HOST },
      { host: HOST },
      { origin: 'null', host: HOST },
      { origin: ORIGIN, host: HOST, 'sec-fetch-site': 'cross-site' },
    ];
    for (const h of attempts) {
      const res = await t.app.inject({ method: 'POST', url: '/projects', headers: { cookie, ...h }, payload: { name: 'csrf' } });
      assert.equal(res.statusCode, 403, JSON.stringify(h));
      assert.equal(res.json().error, 'FORBIDDEN');
    }
    const rotate = await t.app.inject({ method: 'POST', url: '/account/revoke-key', headers: { cookie, origin: 'https://evil.example', host: HOST } });
    assert.equal(rotate.statusCode, 403);
    const signOut = await t.app.inject({ method: 'DELETE', url: '/app/session', headers: { cookie, origin: 'https://evil.example', host: HOST } });
    assert.equal(signOut.statusCode, 403);
    const signInCsrf = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: 'https://evil.example', host: HOST }, payload: { api_key: t.ownerKey } });
    assert.equal(signInCsrf.statusCode, 403);
    assert.equal((await t.app.inject({ url: '/projects', headers: { cookie } })).json().projects.length, before);
    const same = await t.app.inject({ method: 'POST', url: '/projects', headers: { cookie, origin: ORIGIN, host: HOST, 'sec-fetch-site': 'same-origin' }, payload: { name: 'same-origin' } });
    assert.equal(same.statusCode, 201);
    // Keys are not affected: API clients send no Origin.
    assert.equal((await t.app.inject({ method: 'POST', url: '/projects', headers: { 'x-api-key': t.ownerKey }, payload: { name: 'by-key' } })).statusCode, 201);
  });

  test('rotating the key from the dashboard shows a new key once, keeps this session, ends the others and the old key', async () => {
    const other = await t.newAccount('pro');
    const a = await signIn(t, other);
    const b = await signIn(t, other);
    const res = await t.app.inject({ method: 'POST', url: '/account/revoke-key', headers: { cookie: a.cookie, origin: ORIGIN, host: HOST } });
    assert.equal(res.statusCode, 200);
    const fresh = res.json().api_key;
    assert.match(fresh, /^aak_[0-9a-f]{48}$/);
    assert.equal((await t.app.inject({ url: '/account', headers: { cookie: a.cookie } })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/account', headers: { cookie: b.cookie } })).statusCode, 401);
    await new Promise((r) => setTimeout(r, 5100)); // the key cache keeps a positive lookup for 5 s at most
    assert.equal((await t.app.inject({ url: '/account', headers: { 'x-api-key': other } })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/account', headers: { 'x-api-key': fresh } })).statusCode, 200);
  });

  test('no session id or key reaches a log line', async () => {
    const { id, cookie } = await signIn(t);
    await t.app.inject({ url: `/stats?project=site`, headers: { cookie } });
    await t.app.inject({ url: `/nowhere`, headers: { cookie } });
    await t.app.inject({ method: 'DELETE', url: '/app/session', headers: { cookie, origin: ORIGIN, host: HOST } });
    const log = lines.join('');
    assert.ok(log.length > 0);
    assert.equal(log.includes(id), false, 'session id logged');
    assert.equal(log.includes(id.slice(4)), false, 'session id body logged');
    assert.equal(log.includes(t.ownerKey), false, 'API key logged');
  });
});

describe('dashboard sessions: expiry and https', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ AA_DASHBOARD_SESSION_TTL: '1', AA_PUBLIC_URL: 'https://analytics.example.com' });
    await t.newProject(t.ownerKey, 'site');
  });
  after(async () => t.close());

  test('a session dies at its TTL; behind an https public URL the cookie is Secure and that origin may write', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: 'https://analytics.example.com', host: 'analytics.example.com' }, payload: { api_key: t.ownerKey } });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /; Secure/);
    assert.match(setCookie, /Max-Age=1\b/);
    const cookie = setCookie.split(';')[0];
    assert.equal((await t.app.inject({ url: '/stats?project=site', headers: { cookie } })).statusCode, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await t.app.inject({ url: '/stats?project=site', headers: { cookie } });
    assert.equal(late.statusCode, 401);
    assert.match(late.json().message, /expired/);
  });
});
