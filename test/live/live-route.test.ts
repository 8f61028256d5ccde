// GET /live over HTTP: default project, window clamping, the snapshot shape, no database read, errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LiveApp, liveEvent, startLiveApp } from './live-app.js';

describe('GET /live', () => {
  let t: LiveApp;
  let first: { id: string; name: string };
  let second: { id: string; name: string };
  const get = (query: string, key = t.ownerKey) => fetch(`${t.base}/live?${query}`, { headers: { 'x-api-key': key } });

  before(async () => {
    t = await startLiveApp();
    first = await t.newProject(t.ownerKey, 'first-site');
    second = await t.newProject(t.ownerKey, 'second-site');
  });
  after(() => t.close());

  test('an empty buffer answers zeros and empty lists for the default (earliest) project', async () => {
    const res = await get('');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(Math.abs(body.timestamp - Date.now()) < 5000);
    assert.deepEqual({ ...body, timestamp: 0 }, {
      project: 'first-site', window_seconds: 60, timestamp: 0, active_visitors: 0, active_sessions: 0,
      events_per_minute: 0, top_pages: [], top_events: [], recent_events: [],
    });
  });

  test('published events show up in the named project\'s snapshot, within the window', async () => {
    const now = Date.now();
    t.stores.bus.publish([
      liveEvent(second.id, { event: 'page_view', user_id: 'a', session_id: 's1', properties: { path: '/' }, timestamp: now - 90_000 }),
      liveEvent(second.id, { event: 'page_view', user_id: 'a', session_id: 's1', properties: { path: '/' }, timestamp: now - 5000 }),
      liveEvent(second.id, { event: 'signup', user_id: 'b', session_id: 's2', properties: { path: '/join' }, timestamp: now - 1000, country: 'DE' }),
      liveEvent(first.id, { event: 'elsewhere' }),
    ]);
    const body = await (await get('project=second-site&window=30')).json();
    assert.equal(body.window_seconds, 30);
    assert.equal(body.active_visitors, 2);
    assert.equal(body.active_sessions, 2);
    assert.equal(body.events_per_minute, 4); // 2 events in 30 s
    assert.deepEqual(body.top_pages, [{ path: '/', visitors: 1 }, { path: '/join', visitors: 1 }]);
    assert.deepEqual(body.top_events, [{ event: 'page_view', count: 1 }, { event: 'signup', count: 1 }]);
    assert.deepEqual(body.recent_events[0], { event: 'signup', properties: { path: '/join' }, user_id: 'b', session_id: 's2', timestamp: now - 1000, country: 'DE' });

    const wide = await (await get('project=second-site&window=9999')).json();
    assert.equal(wide.window_seconds, 300);
    assert.equal(wide.top_events[0].count, 2, 'the 90 s old page_view is inside 300 s');
    assert.equal((await (await get('project=second-site&window=1')).json()).window_seconds, 10);
    assert.equal((await (await get('project=second-site&window=soon')).json()).window_seconds, 60);
  });

  test('the snapshot never reads the event store', async () => {
    const events = t.stores.events;
    const original = events.query.bind(events);
    let reads = 0;
    events.query = async (q) => { reads++; return original(q); };
    try {
      assert.equal((await get('project=second-site')).status, 200);
      assert.equal(reads, 0);
    } finally {
      events.query = original;
    }
  });

  test('errors: 401 without a key, 404 for an unknown or foreign project, 404 without projects', async () => {
    assert.equal((await fetch(`${t.base}/live`)).status, 401);
    const missing = await get('project=nope');
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error, 'NOT_FOUND');
    const lonely = await t.newAccount('pro');
    assert.equal((await get('', lonely)).status, 404);
    assert.equal((await get('project=first-site', lonely)).status, 404);
  });
});
