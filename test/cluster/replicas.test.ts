// Two API replicas in one process, built exactly as production builds them (createStores from
// AA_* URLs, buildApp, a real port): they share PostgreSQL (a fresh schema), Redis (a fresh prefix)
// and ClickHouse (one chdb engine). Whatever one replica does, the other must see at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { approvedSession } from '../helpers/agent-sessions.js';
import { type LiveApp, startLiveApp } from '../live/live-app.js';
import { servicesOrSkip, sharedClusterEnv } from './services.js';
import { roomInWindow } from '../helpers/windows.js';

const skip = await servicesOrSkip('postgres', 'redis');

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('two replicas sharing PostgreSQL, Redis and ClickHouse', { skip }, () => {
  let a: LiveApp;
  let b: LiveApp;
  let drop = async () => {};

  before(async () => {
    const cluster = await sharedClusterEnv('rep');
    drop = cluster.drop;
    const env = { ...cluster.env, AA_TIER_FREE_RATE_LIMIT_RPM: '10', AA_MAX_STREAMS: '2' };
    a = await startLiveApp(env);
    b = await startLiveApp(env);
    assert.equal(a.stores.events.engine, 'clickhouse');
    assert.equal(b.stores.meta.engine, 'postgres');
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await drop();
  });

  const get = (t: LiveApp, url: string, key: string) => t.app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });

  test('a project created on A is visible on B', async () => {
    const p = await a.newProject(a.ownerKey, 'shared-site');
    const list = await get(b, '/projects', b.ownerKey);
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().projects.some((x: { id: string }) => x.id === p.id));
    assert.equal((await get(b, `/projects/${p.id}`, b.ownerKey)).statusCode, 200);
  });

  test('rate limits are shared: one budget per account across replicas', async () => {
    const key = await a.newAccount('free');
    await roomInWindow();
    const remaining: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await get(i % 2 ? b : a, '/account', key);
      assert.equal(res.statusCode, 200, `request ${i + 1} of 10`);
      remaining.push(Number(res.headers['x-ratelimit-remaining']));
    }
    assert.deepEqual(remaining, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const over = await get(b, '/account', key);
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error, 'RATE_LIMITED');
    assert.equal((await get(a, '/account', key)).statusCode, 429);
  });

  test('an event ingested on A reaches a /stream on B, and B can query and analyse it', async () => {
    const p = await a.newProject(a.ownerKey, 'stream-site');
    const s = await b.stream('project=stream-site&events=signup');
    try {
      assert.equal(s.status, 200);
      await s.next((f) => f.type === 'connected');
      const res = await a.app.inject({
        method: 'POST', url: '/track', headers: { 'content-type': 'application/json', 'user-agent': UA },
        payload: { token: p.project_token, event: 'signup', properties: { plan: 'pro', path: '/pricing' }, user_id: 'anon_r1', session_id: 'sess_r1' },
      });
      assert.equal(res.statusCode, 202, res.body);
      const frame = await s.next((f) => f.type === 'track', 2000);
      const data = JSON.parse(frame.data!);
      assert.equal(data.event, 'signup');
      assert.equal(data.project, 'stream-site');
      assert.deepEqual(data.properties, { plan: 'pro', path: '/pricing' });
      const live = await get(b, '/live?project=stream-site', b.ownerKey);
      assert.equal(live.statusCode, 200);
      assert.deepEqual(live.json().top_events, [{ event: 'signup', count: 1 }], 'B\'s live buffer holds the event too');
      assert.equal(live.json().recent_events[0].user_id, 'anon_r1');
      const stored = await get(b, '/events?project=stream-site&limit=5', b.ownerKey);
      assert.equal(stored.statusCode, 200, stored.body);
      assert.deepEqual(stored.json().events.map((e: { id: string }) => e.id), [data.id]);
      const stats = await get(b, '/stats?project=stream-site&since=1d', b.ownerKey);
      assert.equal(stats.statusCode, 200, stats.body);
      assert.deepEqual(stats.json().totals, { unique_users: 1, total_events: 1 }, 'B\'s analytics read ClickHouse, where A wrote');
    } finally {
      s.close();
    }
  });

  test('stream slots are shared: the account limit counts streams on every replica', async () => {
    const key = await a.newAccount('pro');
    await a.newProject(key, 'slots-site');
    const open = (t: LiveApp) => t.stream('project=slots-site', {}, key);
    const s1 = await open(a);
    const s2 = await open(b);
    try {
      assert.deepEqual([s1.status, s2.status], [200, 200]);
      const third = await open(a);
      assert.equal(third.status, 429);
      assert.equal(JSON.parse(third.body).error, 'STREAM_LIMIT');
      s2.close();
      const deadline = Date.now() + 3000;
      let again = await open(a);
      while (again.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        again = await open(a);
      }
      assert.equal(again.status, 200, 'a slot freed on B is usable on A');
      again.close();
    } finally {
      s1.close();
      s2.close();
    }
  });

  test('revoking a key on A locks it out on B at once', async () => {
    const oldKey = await a.newAccount('pro');
    assert.equal((await get(b, '/account', oldKey)).statusCode, 200); // B has the key cached now
    const rotated = await a.app.inject({ method: 'POST', url: '/account/revoke-key', headers: { 'x-api-key': oldKey } });
    assert.equal(rotated.statusCode, 200);
    const newKey = rotated.json().api_key as string;
    const onB = await get(b, '/account', oldKey);
    assert.equal(onB.statusCode, 401, 'the very next request on B is refused');
    assert.equal(onB.json().error, 'AUTH_REQUIRED');
    assert.equal((await get(a, '/account', oldKey)).statusCode, 401);
    assert.equal((await get(b, '/account', newKey)).statusCode, 200);
  });

  test('revoking an agent session or deleting a named key on A locks it out on B at once', async () => {
    const owner = await a.newAccount('pro');
    const session = (await approvedSession(a.app, owner, ['account:read'])).agent_session;
    const bearer = (t: LiveApp) => t.app.inject({ method: 'GET', url: '/account', headers: { authorization: `Bearer ${session.access_token}` } });
    assert.equal((await bearer(b)).statusCode, 200); // cached on B now
    const revoked = await a.app.inject({ method: 'POST', url: '/agent-sessions/revoke', headers: { authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal((await bearer(b)).statusCode, 401, 'the very next request on B is refused');

    const created = await a.app.inject({ method: 'POST', url: '/account/keys', headers: { 'x-api-key': owner, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'r', scopes: ['account:read'] }) });
    const { api_key, key } = created.json();
    assert.equal((await get(b, '/account', api_key)).statusCode, 200);
    assert.equal((await a.app.inject({ method: 'DELETE', url: `/account/keys/${key.id}`, headers: { 'x-api-key': owner } })).statusCode, 200);
    assert.equal((await get(b, '/account', api_key)).statusCode, 401);
  });
});
