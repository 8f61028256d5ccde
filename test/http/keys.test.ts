// Named API keys (issue 16): create (shown once), list without secrets, last-used time, scopes, project
// restriction, expiry under a controlled clock, deletion effective at once, and bad input.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyCache } from '../../src/accounts/key-cache.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => t.close());

test('a read-only key: created once, listed without the secret, last use recorded, deleted at once', async () => {
  await t.newProject(t.ownerKey, 'ro-site');
  const created = await t.request('POST', '/account/keys', { name: 'weekly report', scopes: ['analytics:read', 'projects:read'] });
  assert.equal(created.statusCode, 201, created.body);
  const { key, api_key } = created.json();
  assert.match(api_key, /^aak_[0-9a-f]{48}$/);
  assert.deepEqual(key.scopes, ['projects:read', 'analytics:read']);
  assert.equal(key.projects, null);
  assert.equal(key.last_used_at, null);
  assert.equal((await t.request('GET', '/stats?project=ro-site', undefined, api_key)).statusCode, 200);
  const bearer = await t.app.inject({ url: '/projects', headers: { authorization: `Bearer ${api_key}` } });
  assert.equal(bearer.statusCode, 200);
  assert.equal((await t.request('DELETE', '/projects/ro-site', undefined, api_key)).statusCode, 403);
  const listed = (await t.request('GET', '/account/keys')).json().keys.find((k: { id: string }) => k.id === key.id);
  assert.ok(listed.last_used_at, 'last use recorded');
  assert.ok(!JSON.stringify(listed).includes(api_key));
  const rotate = await t.request('POST', '/account/revoke-key', undefined, api_key);
  assert.equal(rotate.statusCode, 403);
  assert.equal(rotate.json().missing_scope, 'owner');
  assert.equal((await t.request('POST', '/account/keys', { name: 'x', scopes: ['account:read'] }, api_key)).statusCode, 403, 'a named key never mints keys');
  const dash = await t.app.inject({ method: 'POST', url: '/app/session', headers: { origin: 'http://localhost:80', host: 'localhost:80', 'content-type': 'application/json' }, payload: { api_key } });
  assert.equal(dash.statusCode, 403, 'the dashboard signs in with the owner key only');
  assert.equal((await t.request('DELETE', `/account/keys/${key.id}`)).statusCode, 200);
  assert.equal((await t.request('GET', '/projects', undefined, api_key)).statusCode, 401);
  assert.equal((await t.request('DELETE', `/account/keys/${key.id}`)).statusCode, 404);
});

test('a key restricted to one project sees only it; account-wide routes refuse it', async () => {
  const a = await t.newProject(t.ownerKey, 'allowed-site');
  await t.newProject(t.ownerKey, 'other-site');
  const { api_key, key } = (await t.request('POST', '/account/keys', { name: 'one site', scopes: ['analytics:read', 'projects:read', 'live:read'], projects: ['allowed-site'] })).json();
  assert.deepEqual(key.projects, [{ id: a.id, name: 'allowed-site' }]);
  assert.equal((await t.request('GET', '/stats?project=allowed-site', undefined, api_key)).statusCode, 200);
  const other = await t.request('GET', '/stats?project=other-site', undefined, api_key);
  assert.equal(other.statusCode, 403);
  assert.equal(other.json().error, 'PROJECT_NOT_ALLOWED');
  assert.deepEqual((await t.request('GET', '/projects', undefined, api_key)).json().projects.map((p: { name: string }) => p.name), ['allowed-site']);
  assert.equal((await t.request('GET', '/account/all-sites', undefined, api_key)).statusCode, 403);
  assert.equal((await t.request('GET', '/live', undefined, api_key)).json().project, 'allowed-site');
});

test('expiry under a controlled clock; bad input is a clear 4xx', async () => {
  const { api_key } = (await t.request('POST', '/account/keys', { name: 'short', scopes: ['account:read'], expires_in_days: 1 })).json();
  const keys = new KeyCache(t.stores.meta, t.stores.counters);
  assert.notEqual(typeof (await keys.resolve(api_key)), 'string');
  const later = new Date(Date.now() + 2 * 86_400_000);
  assert.equal(await keys.resolve(api_key, later), 'expired', 'a cached key is judged against the clock on every use');
  assert.equal(await new KeyCache(t.stores.meta, t.stores.counters).resolve(api_key, later), 'unknown', 'past its expiry the store no longer returns it');
  const bad = async (payload: unknown, status: number, re: RegExp) => {
    const r = await t.request('POST', '/account/keys', payload);
    assert.equal(r.statusCode, status, r.body);
    assert.match(r.json().message, re);
  };
  await bad({ name: 'x', scopes: ['root'] }, 400, /scopes/);
  await bad({ name: 'x', scopes: [] }, 400, /scopes/);
  await bad({ scopes: ['account:read'] }, 400, /name/);
  await bad({ name: '  ', scopes: ['account:read'] }, 400, /blank/);
  await bad({ name: 'x', scopes: ['account:read'], projects: ['no-such-site'] }, 404, /no-such-site/);
  await bad({ name: 'x', scopes: ['account:read'], expires_in_days: 0 }, 400, /expires_in_days/);
});
