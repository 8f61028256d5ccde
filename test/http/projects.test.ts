// E18–E22 over the real app: shapes, every error code, idempotent create, limits, tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => { t = await startTestApp({ AA_PUBLIC_URL: 'https://analytics.example.test' }); });
after(async () => { await t.close(); });

const call = (method: string, url: string, key: string | null, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url, headers: key ? { 'x-api-key': key } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('POST /projects', () => {
  test('201 with exactly the contract fields, then 200 existing:true and nothing modified', async () => {
    const res = await call('POST', '/projects', t.ownerKey, { name: 'acme-web', allowed_origins: 'https://acme.test' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['allowed_origins', 'api_example', 'created_at', 'id', 'name', 'project_token', 'snippet', 'source_scan_id']);
    assert.match(body.id, /^proj_[a-z0-9]{16}$/);
    assert.match(body.project_token, /^aat_[0-9a-f]{48}$/);
    assert.equal(body.allowed_origins, 'https://acme.test');
    assert.equal(body.source_scan_id, null);
    assert.equal(body.snippet, `<script defer src="https://analytics.example.test/tracker.js" data-project="acme-web" data-token="${body.project_token}"></script>`);
    assert.equal(body.api_example, 'curl "https://analytics.example.test/stats?project=acme-web&since=7d" -H "X-API-Key: YOUR_API_KEY"');

    const again = await call('POST', '/projects', t.ownerKey, { name: 'acme-web', allowed_origins: 'https://other.test' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { ...body, existing: true });
  });

  test('validation codes', async () => {
    assert.equal((await call('POST', '/projects', t.ownerKey, {})).json().error, 'MISSING_FIELDS');
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'bad name!' })).json().error, 'INVALID_BODY');
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'x'.repeat(65) })).statusCode, 400);
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'ok', allowed_origins: '' })).json().error, 'INVALID_BODY');
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'ok', allowed_origins: 'not an origin' })).json().error, 'INVALID_BODY');
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 42 })).json().error, 'INVALID_BODY');
    const notJson = await t.app.inject({ method: 'POST', url: '/projects', headers: { 'x-api-key': t.ownerKey, 'content-type': 'application/json' }, payload: '{nope' });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error, 'INVALID_BODY');
  });

  test('409 DUPLICATE_ORIGIN names the other project; origins compare normalised', async () => {
    await call('POST', '/projects', t.ownerKey, { name: 'dup-a', allowed_origins: 'https://dup.test,http://dev.dup.test:3101' });
    const res = await call('POST', '/projects', t.ownerKey, { name: 'dup-b', allowed_origins: ' HTTP://dev.dup.test:3101/ , https://dup.test' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'DUPLICATE_ORIGIN');
    assert.match(res.json().message, /dup-a/);
    // "*" never collides.
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'star-1' })).statusCode, 201);
    assert.equal((await call('POST', '/projects', t.ownerKey, { name: 'star-2' })).statusCode, 201);
  });

  test('free tier: 403 at the project limit, but the idempotent path still answers 200', async () => {
    const key = await t.newAccount('free');
    assert.equal((await call('POST', '/projects', key, { name: 'one' })).statusCode, 201);
    assert.equal((await call('POST', '/projects', key, { name: 'two' })).statusCode, 201);
    const third = await call('POST', '/projects', key, { name: 'three' });
    assert.equal(third.statusCode, 403);
    assert.equal(third.json().error, 'FORBIDDEN');
    assert.equal((await call('POST', '/projects', key, { name: 'one' })).statusCode, 200);
    const list = await call('GET', '/projects', key);
    assert.equal(list.json().project_limit, 2);
    assert.equal(list.json().tier, 'free');
    assert.equal(list.json().flags[0].code, 'project_limit_reached');
  });
});

describe('GET /projects and /projects/{id}', () => {
  test('list shape, order and detail with usage_today', async () => {
    const key = await t.newAccount('pro');
    const a = (await call('POST', '/projects', key, { name: 'first' })).json();
    await call('POST', '/projects', key, { name: 'second' });
    const list = await call('GET', '/projects', key);
    assert.equal(list.statusCode, 200);
    const body = list.json();
    assert.deepEqual(body.projects.map((p: { name: string }) => p.name), ['first', 'second']);
    assert.equal(body.has_api_key, true);
    assert.equal(body.tier, 'pro');
    assert.equal(body.project_limit, -1);
    assert.equal(body.flags, undefined);
    assert.deepEqual(Object.keys(body.projects[0]).sort(), ['allowed_origins', 'created_at', 'id', 'name', 'project_token', 'source_scan_id', 'total_events', 'total_reads']);

    const detail = await call('GET', `/projects/${a.id}`, key);
    assert.equal(detail.statusCode, 200);
    const d = detail.json();
    assert.equal(d.total_events, 0);
    assert.deepEqual(d.usage_today, { date: new Date().toISOString().slice(0, 10), events: 0, reads: 0 });
    assert.equal((await call('GET', '/projects/proj_doesnotexist0000', key)).statusCode, 404);
  });
});

describe('PATCH and DELETE /projects/{id}', () => {
  test('rename, origins, conflicts and codes', async () => {
    const key = await t.newAccount('pro');
    const a = (await call('POST', '/projects', key, { name: 'pa', allowed_origins: 'https://pa.test' })).json();
    const b = (await call('POST', '/projects', key, { name: 'pb', allowed_origins: 'https://pb.test' })).json();
    assert.equal((await call('PATCH', `/projects/${a.id}`, key, {})).json().error, 'MISSING_FIELDS');
    assert.equal((await call('PATCH', `/projects/${a.id}`, key, { name: 'bad name' })).json().error, 'INVALID_BODY');
    const taken = await call('PATCH', `/projects/${a.id}`, key, { name: 'pb' });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error, 'PROJECT_NAME_EXISTS');
    const dup = await call('PATCH', `/projects/${a.id}`, key, { allowed_origins: 'https://pb.test' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error, 'DUPLICATE_ORIGIN');
    assert.match(dup.json().message, /pb/);
    const ok = await call('PATCH', `/projects/${a.id}`, key, { name: 'pa2', allowed_origins: 'https://pa.test,http://dev.pa.test:3101' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().name, 'pa2');
    assert.equal(ok.json().allowed_origins, 'https://pa.test,http://dev.pa.test:3101');
    assert.equal(ok.json().project_token, a.project_token);

    // A project with events cannot be renamed (usage counters are what ingestion writes).
    await t.stores.meta.addUsage([{ project_id: b.id, date: '2026-01-01', events: 3 }]);
    const locked = await call('PATCH', `/projects/${b.id}`, key, { name: 'pb-new' });
    assert.equal(locked.statusCode, 409);
    assert.equal(locked.json().error, 'NAME_LOCKED');
    assert.equal((await call('PATCH', `/projects/${b.id}`, key, { name: 'pb' })).statusCode, 200, 'same name is not a rename');

    const del = await call('DELETE', `/projects/${a.id}`, key);
    assert.deepEqual(del.json(), { ok: true, deleted: a.id });
    assert.equal((await call('DELETE', `/projects/${a.id}`, key)).statusCode, 404);
    assert.equal((await call('GET', `/projects/${a.id}`, key)).statusCode, 404);
    assert.equal((await call('PATCH', `/projects/${a.id}`, key, { name: 'zzz' })).statusCode, 404);
    assert.equal((await call('GET', '/projects', key)).json().projects.length, 1);
    // The name is free again, with a new id and token.
    const again = (await call('POST', '/projects', key, { name: 'pa2' })).json();
    assert.notEqual(again.id, a.id);
    assert.notEqual(again.project_token, a.project_token);
  });
});

describe('tenant isolation', () => {
  test('another account gets 403 by id and 404 by name, for read, update and delete', async () => {
    const owner = await t.newAccount('pro');
    const other = await t.newAccount('pro');
    const p = (await call('POST', '/projects', owner, { name: 'secret-site' })).json();
    for (const [m, payload] of [['GET', undefined], ['PATCH', { name: 'mine' }], ['DELETE', undefined]] as const) {
      const byId = await call(m, `/projects/${p.id}`, other, payload);
      assert.equal(byId.statusCode, 403, `${m} by id`);
      assert.equal(byId.json().error, 'FORBIDDEN');
      const byName = await call(m, '/projects/secret-site', other, payload);
      assert.equal(byName.statusCode, 404, `${m} by name`);
    }
    assert.equal((await call('GET', '/projects', other)).json().projects.length, 0);
    // Same name in another account is its own project.
    assert.equal((await call('POST', '/projects', other, { name: 'secret-site' })).statusCode, 201);
    assert.equal((await call('GET', `/projects/${p.id}`, owner)).statusCode, 200);
  });
});

describe('auth transports', () => {
  test('header, bearer and ?key= work; header wins; missing and bad keys are 401', async () => {
    assert.equal((await t.app.inject({ url: '/projects', headers: { authorization: `Bearer ${t.ownerKey}` } })).statusCode, 200);
    assert.equal((await t.app.inject({ url: `/projects?key=${t.ownerKey}` })).statusCode, 200);
    const missing = await t.app.inject({ url: '/projects' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error, 'AUTH_REQUIRED');
    const bad = await t.app.inject({ url: '/projects', headers: { 'x-api-key': `aak_${'f'.repeat(48)}` } });
    assert.equal(bad.json().error, 'AUTH_REQUIRED');
    const headerWins = await t.app.inject({ url: `/projects?key=${t.ownerKey}`, headers: { 'x-api-key': 'aak_wrong' } });
    assert.equal(headerWins.statusCode, 401);
  });

  test('CORS headers and preflight', async () => {
    const res = await t.app.inject({ url: '/health' });
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-allow-credentials'], 'false');
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/projects' });
    assert.equal(pre.statusCode, 204);
    assert.match(String(pre.headers['access-control-allow-methods']), /PATCH/);
    assert.match(String(pre.headers['access-control-allow-headers']), /X-API-Key/);
  });
});
