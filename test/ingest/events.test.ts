import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { utcDay } from '../../src/query/time.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from './helpers.js';

describe('GET /events (E4)', () => {
  let t: TestApp;
  const now = Date.now();
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'log');
    const events = [
      { event: 'page_view', timestamp: now - 3 * 86_400_000, session_id: 's1', user_id: 'u1', properties: { path: '/old' } },
      { event: 'signup', timestamp: now - 60_000, session_id: 's1', user_id: 'u1' },
      { event: 'page_view', timestamp: now - 60_000, session_id: 's2', user_id: 'u2' }, // same ms as signup: tie broken by id
      { event: 'page_view', timestamp: now - 10 * 86_400_000, session_id: 's3' },
    ].map((e) => ({ token: p.project_token, ...e }));
    const res = await post(t, '/track/batch', { events });
    assert.equal(res.statusCode, 202, res.body);
  });
  after(async () => t.close());

  const get = (q: string, key = t.ownerKey) => t.app.inject({ url: `/events?${q}`, headers: { 'x-api-key': key } });

  test('newest first, ties by id descending, 7-day default window, exact shape', async () => {
    const res = await get('project=log');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.project, 'log');
    assert.deepEqual(body.events.map((e: any) => e.timestamp), [now - 60_000, now - 60_000, now - 3 * 86_400_000]);
    const [a, b] = body.events;
    assert.ok(a.id > b.id, 'equal timestamps: larger id first');
    assert.deepEqual(body.events[2].properties, { path: '/old' });
    assert.equal(body.events[0].properties, null);
    assert.equal(body.events[2].date, utcDay(now - 3 * 86_400_000));
  });

  test('filters: event, session_id, user_id (ANDed)', async () => {
    const names = async (q: string) => (await get(`project=log&${q}`)).json().events.map((e: any) => `${e.event}:${e.session_id}`);
    assert.deepEqual(await names('event=page_view'), ['page_view:s2', 'page_view:s1']);
    assert.deepEqual(await names('session_id=s1'), ['signup:s1', 'page_view:s1']);
    assert.deepEqual(await names('user_id=u2'), ['page_view:s2']);
    assert.deepEqual(await names('event=signup&session_id=s2'), []);
  });

  test('since: Nd, ISO date/date-time, garbage → 7-day default', async () => {
    const count = async (since: string) => (await get(`project=log&since=${encodeURIComponent(since)}`)).json().events.length;
    assert.equal(await count('0d'), 2);
    assert.equal(await count('30d'), 4);
    assert.equal(await count(utcDay(now - 11 * 86_400_000)), 4);
    assert.equal(await count(`${utcDay(now - 3 * 86_400_000)}T23:59:59Z`), 3); // date-inclusive
    assert.equal(await count('yesterday-ish'), 3);
  });

  test('limit clamping: 0/garbage → 100, negative → 1, > 1000 → 1000', async () => {
    const count = async (limit: string) => (await get(`project=log&since=30d&limit=${limit}`)).json().events.length;
    assert.equal(await count('2'), 2);
    assert.equal(await count('0'), 4);
    assert.equal(await count('abc'), 4);
    assert.equal(await count('-5'), 1);
    assert.equal(await count('5000'), 4);
  });

  test('a repeated filter parameter is a 400, not a 500', async () => {
    const res = await get('project=log&event=a&event=b');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error, 'INVALID_BODY');
  });

  test('errors: PROJECT_REQUIRED, 404 for unknown or foreign project, 401 without key', async () => {
    assert.equal((await get('')).json().error, 'PROJECT_REQUIRED');
    assert.equal((await get('project=nope')).statusCode, 404);
    const other = await t.newAccount('pro');
    assert.equal((await get('project=log', other)).statusCode, 404);
    const anon = await t.app.inject({ url: '/events?project=log' });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error, 'AUTH_REQUIRED');
  });

  test('retention: rows older than retention_days are never returned', async () => {
    const key = await t.newAccount('free'); // retention_days 90 by default; use an override to make it bite
    const acct = (await t.stores.meta.listAccounts()).at(-1)!;
    await t.stores.meta.updateAccount(acct.id, { limits_override: { retention_days: 2 } });
    await t.stores.counters.invalidate('accounts', acct.id);
    const p = await t.newProject(key, 'short');
    await post(t, '/track/batch', { events: [{ token: p.project_token, event: 'old', timestamp: now - 5 * 86_400_000 }, { token: p.project_token, event: 'new' }] });
    const res = await t.app.inject({ url: '/events?project=short&since=30d', headers: { 'x-api-key': key } });
    assert.deepEqual(res.json().events.map((e: any) => e.event), ['new']);
  });
});
