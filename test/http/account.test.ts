// E23–E24, the admin API (P4), bootstrap idempotence, rate limits (P7) and keys at rest.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { roomInWindow } from '../helpers/windows.js';

const ADMIN = 'admin-secret-token';
let t: TestApp;
before(async () => { t = await startTestApp({ AA_ADMIN_TOKEN: ADMIN }); });
after(async () => { await t.close(); });

const admin = (method: string, url: string, payload?: object, token = ADMIN) =>
  t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

describe('GET /account', () => {
  test('self-hosted owner is pro and unlimited (Q16)', async () => {
    const res = await t.app.inject({ url: '/account', headers: { 'x-api-key': t.ownerKey } });
    assert.equal(res.statusCode, 200);
    const a = res.json();
    assert.match(a.id, /^acc_/);
    assert.equal(a.tier, 'pro');
    assert.equal(a.projects_limit, -1);
    assert.deepEqual(a.tier_limits, { max_projects: -1, max_events_lifetime: -1, max_events_per_month: -1, max_reads_per_month: -1, retention_days: -1, rate_limit_rpm: -1 });
    assert.equal(a.monthly_spend_cap_dollars, null);
    assert.equal(a.github_login, null);
    assert.equal(res.headers['x-ratelimit-limit'], '-1');
  });

  test('free account: union of limit fields with the tier presets', async () => {
    const created = await admin('POST', '/admin/accounts', { email: 'free@example.test', tier: 'free' });
    assert.equal(created.statusCode, 201);
    const { account, api_key } = created.json();
    assert.match(api_key, /^aak_[0-9a-f]{48}$/);
    assert.deepEqual(Object.keys(account).sort(), ['created_at', 'email', 'github_login', 'id', 'monthly_spend_cap_dollars', 'projects_count', 'projects_limit', 'tier', 'tier_limits']);
    const res = await t.app.inject({ url: '/account', headers: { 'x-api-key': api_key } });
    assert.deepEqual(res.json(), { ...account });
    assert.deepEqual(account.tier_limits, { max_projects: 2, max_events_lifetime: 1000, max_events_per_month: 100000, max_reads_per_month: 500, retention_days: 90, rate_limit_rpm: 10 });
  });
});

describe('GET /account?include=usage (beyond the contract)', () => {
  test('adds events and reads to hold against the limits; the default body is unchanged', async () => {
    const key = await t.newAccount('pro'); // pro: the polling below stays under the rate limit
    const p = await t.newProject(key, 'usage-site');
    const tracked = await t.app.inject({ method: 'POST', url: '/track/batch', payload: { token: p.project_token, events: [{ event: 'a' }, { event: 'b' }] } });
    assert.equal(tracked.statusCode, 202);
    assert.equal((await t.app.inject({ url: '/stats?project=usage-site', headers: { 'x-api-key': key } })).statusCode, 200);
    const plain = (await t.app.inject({ url: '/account', headers: { 'x-api-key': key } })).json();
    assert.equal(plain.usage, undefined);
    // Reads are counted in memory and written every second; events right after their commit.
    const month = new Date().toISOString().slice(0, 7);
    const want = { month, events: { lifetime: 2, this_month: 2, today: 2 }, reads: { lifetime: 1, this_month: 1, today: 1 } };
    let res = await t.app.inject({ url: '/account?include=usage', headers: { 'x-api-key': key } });
    for (let i = 0; i < 40 && JSON.stringify(res.json().usage) !== JSON.stringify(want); i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await t.app.inject({ url: '/account?include=usage', headers: { 'x-api-key': key } });
    }
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().usage, want);
    assert.deepEqual(Object.keys(res.json()).filter((k) => k !== 'usage'), Object.keys(plain));
  });
});

describe('rate limit (§1.8, P7)', () => {
  test('free tier: 10 requests per minute, then 429 with Retry-After and reason', async () => {
    const key = await t.newAccount('free');
    await roomInWindow();
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({ url: '/account', headers: { 'x-api-key': key } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-ratelimit-limit'], '10');
      assert.equal(res.headers['x-ratelimit-remaining'], String(9 - i));
      assert.ok(Number(res.headers['x-ratelimit-reset']) >= 1 && Number(res.headers['x-ratelimit-reset']) <= 60);
    }
    const limited = await t.app.inject({ url: '/account', headers: { 'x-api-key': key } });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error, 'RATE_LIMITED');
    assert.equal(limited.json().reason, 'rate_limit');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Health is never rate limited.
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);
  });
});

describe('POST /account/revoke-key', () => {
  test('old key dies at once, new key works, raw keys never reach the SQLite file', async () => {
    const key = await t.newAccount('pro');
    const res = await t.app.inject({ method: 'POST', url: '/account/revoke-key', headers: { 'x-api-key': key } });
    assert.equal(res.statusCode, 200);
    const { ok, api_key } = res.json();
    assert.equal(ok, true);
    assert.match(api_key, /^aak_[0-9a-f]{48}$/);
    assert.notEqual(api_key, key);
    const old = await t.app.inject({ url: '/account', headers: { 'x-api-key': key } });
    assert.equal(old.statusCode, 401);
    assert.equal(old.json().error, 'AUTH_REQUIRED');
    assert.equal((await t.app.inject({ url: '/account', headers: { 'x-api-key': api_key } })).statusCode, 200);

    await t.app.inject({ url: '/health' });
    const files = readdirSync(t.dir).filter((f) => f.startsWith('meta.sqlite'));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(t.dir, f))));
    for (const raw of [key, api_key, t.ownerKey]) {
      assert.equal(bytes.includes(Buffer.from(raw)), false, 'raw key found in SQLite files');
      assert.equal(bytes.includes(Buffer.from(raw.slice(4))), false, 'raw key body found in SQLite files');
    }
  });
});

describe('admin API (P4)', () => {
  test('list, patch tier, errors', async () => {
    const list = await admin('GET', '/admin/accounts');
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().accounts.length >= 1);
    const { account } = (await admin('POST', '/admin/accounts', { email: 'p@example.test' })).json();
    assert.equal(account.tier, 'free');
    const patched = await admin('PATCH', `/admin/accounts/${account.id}`, { tier: 'pro' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().tier, 'pro');
    assert.equal(patched.json().tier_limits.rate_limit_rpm, 1000);
    assert.equal((await admin('PATCH', '/admin/accounts/acc_nope', { tier: 'pro' })).statusCode, 404);
    assert.equal((await admin('PATCH', `/admin/accounts/${account.id}`, { tier: 'gold' })).json().error, 'INVALID_BODY');
    assert.equal((await admin('POST', '/admin/accounts', {})).json().error, 'MISSING_FIELDS');
    assert.equal((await admin('POST', '/admin/accounts', { email: 'nope' })).json().error, 'INVALID_BODY');
    assert.equal((await admin('GET', '/admin/accounts', undefined, 'wrong')).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/admin/accounts', headers: { 'x-api-key': t.ownerKey } })).statusCode, 401);
  });

  test('without AA_ADMIN_TOKEN every /admin route is 404', async () => {
    const bare = await startTestApp();
    try {
      const res = await bare.app.inject({ url: '/admin/accounts', headers: { authorization: 'Bearer anything' } });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error, 'NOT_FOUND');
    } finally {
      await bare.close();
    }
  });
});
