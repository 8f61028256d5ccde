// GET /stream over real HTTP connections: frames and their order, filters, auth and errors, Last-Event-ID resume.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LiveApp, liveEvent, startLiveApp } from './live-app.js';
import { openStream } from './sse-client.js';

describe('GET /stream', () => {
  let t: LiveApp;
  let site: { id: string; name: string };
  let other: { id: string; name: string };

  before(async () => {
    t = await startLiveApp({ AA_STREAM_HEARTBEAT_MS: '60000' });
    site = await t.newProject(t.ownerKey, 'acme-web'); // the earliest: the default project
    other = await t.newProject(t.ownerKey, 'acme-docs');
  });
  after(() => t.close());

  test('connected frame first, then one track frame per event with its id line, in publish order', async () => {
    const s = await t.stream();
    try {
      assert.equal(s.status, 200);
      assert.equal(s.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(s.headers['cache-control'], 'no-cache');
      assert.equal(s.headers.connection, 'keep-alive');
      assert.equal(s.headers['access-control-allow-origin'], '*');
      assert.equal(s.headers['x-ratelimit-limit'], '-1', 'P7: rate-limit headers on every API-key response');
      const connected = await s.next();
      assert.equal(connected.type, 'connected');
      assert.deepEqual(JSON.parse(connected.data!), { project: 'acme-web', filters: { events: null, filter: null } });

      const a = liveEvent(site.id, { event: 'page_view', properties: { path: '/pricing' } });
      const b = liveEvent(site.id, { event: 'signup', properties: null, user_id: null, session_id: null, country: null });
      const foreign = liveEvent(other.id);
      const c = liveEvent(site.id, { event: 'cta_click', properties: { id: 'hero', n: 2 } });
      t.stores.bus.publish([a, b, foreign]);
      t.stores.bus.publish([c]);
      for (const e of [a, b, c]) {
        const f = await s.next();
        assert.equal(f.type, 'track');
        assert.equal(f.id, e.id);
        assert.deepEqual(JSON.parse(f.data!), {
          id: e.id, project: 'acme-web', event: e.event, properties: e.properties, user_id: e.user_id,
          session_id: e.session_id, timestamp: e.timestamp, country: e.country,
        });
      }
      assert.deepEqual(s.frames.map((f) => f.type), ['connected', 'track', 'track', 'track'], 'nothing from the other project');
    } finally {
      s.close();
    }
  });

  test('the exact bytes on the wire follow E16', async () => {
    const s = await t.stream('project=acme-docs&events=signup');
    try {
      let raw = '';
      s.res.on('data', (chunk: string) => (raw += chunk));
      await s.next();
      const e = liveEvent(other.id, { event: 'signup', properties: { plan: 'pro' } });
      t.stores.bus.publish([e]);
      await s.next((f) => f.type === 'track');
      const data = JSON.stringify({ id: e.id, project: 'acme-docs', event: 'signup', properties: { plan: 'pro' }, user_id: e.user_id, session_id: e.session_id, timestamp: e.timestamp, country: e.country });
      assert.ok(raw.endsWith(`id: ${e.id}\nevent: track\ndata: ${data}\n\n`), raw);
    } finally {
      s.close();
    }
  });

  test('events= and filter= select by name and by properties (AND, string compare)', async () => {
    const s = await t.stream('events=signup,%20purchase&filter=plan:pro;path:/pricing;seats:3');
    try {
      const connected = await s.next();
      assert.deepEqual(JSON.parse(connected.data!).filters, {
        events: ['signup', 'purchase'], filter: { plan: 'pro', path: '/pricing', seats: '3' },
      });
      const props = { plan: 'pro', path: '/pricing', seats: 3 };
      const want = [
        liveEvent(site.id, { event: 'signup', properties: props }),
        liveEvent(site.id, { event: 'purchase', properties: { ...props, seats: '3', extra: true } }),
      ];
      t.stores.bus.publish([
        liveEvent(site.id, { event: 'page_view', properties: props }), // wrong name
        want[0],
        liveEvent(site.id, { event: 'signup', properties: { ...props, plan: 'free' } }), // one pair differs
        liveEvent(site.id, { event: 'signup', properties: { plan: 'pro', path: '/pricing' } }), // key missing
        liveEvent(site.id, { event: 'signup', properties: null }),
        liveEvent(site.id, { event: 'Signup', properties: props }), // names are exact
        want[1],
      ]);
      const marker = liveEvent(site.id, { event: 'signup', properties: { ...props, marker: 1 } });
      t.stores.bus.publish([marker]);
      await s.next((f) => f.id === marker.id);
      assert.deepEqual(s.frames.filter((f) => f.type === 'track').map((f) => f.id), [...want.map((e) => e.id), marker.id]);
    } finally {
      s.close();
    }
  });

  test('a filter value may contain ":" (split at the first one)', async () => {
    const s = await t.stream(`filter=${encodeURIComponent('url:https://acme.test/a')}`);
    try {
      await s.next();
      const e = liveEvent(site.id, { properties: { url: 'https://acme.test/a' } });
      t.stores.bus.publish([liveEvent(site.id, { properties: { url: 'https://acme.test/b' } }), e]);
      assert.equal((await s.next()).id, e.id);
    } finally {
      s.close();
    }
  });

  test('?key= authenticates (EventSource cannot send headers); the project may be named by id', async () => {
    const s = await openStream(t.base, `/stream?key=${t.ownerKey}&project=${site.id}`);
    try {
      assert.equal(s.status, 200);
      assert.equal(JSON.parse((await s.next()).data!).project, 'acme-web');
    } finally {
      s.close();
    }
  });

  test('errors are JSON before any streaming: 401, 404, 400 for a malformed filter', async () => {
    const noKey = await openStream(t.base, '/stream');
    assert.equal(noKey.status, 401);
    assert.equal(JSON.parse(noKey.body).error, 'AUTH_REQUIRED');
    const badKey = await openStream(t.base, `/stream?key=aak_${'f'.repeat(48)}`);
    assert.equal(badKey.status, 401);

    const missing = await t.stream('project=nope');
    assert.equal(missing.status, 404);
    assert.match(missing.headers['content-type'] ?? '', /application\/json/);
    assert.equal(JSON.parse(missing.body).error, 'NOT_FOUND');

    const lonely = await t.newAccount('free');
    const none = await t.stream('', {}, lonely);
    assert.equal(none.status, 404, 'an account without projects has no default project');
    assert.match(JSON.parse(none.body).message, /POST \/projects/);

    const theirs = await t.newAccount('pro');
    const foreign = await t.stream('project=acme-web', {}, theirs);
    assert.equal(foreign.status, 404, 'another account\'s project is simply not found');

    const pair = await t.stream('filter=plan');
    assert.equal(pair.status, 400);
    assert.equal(JSON.parse(pair.body).error, 'INVALID_FILTER_FIELD');
    const key = await t.stream(`filter=${encodeURIComponent('a.b:1')}`);
    assert.equal(key.status, 400);
    assert.equal(JSON.parse(key.body).error, 'INVALID_PROPERTY_KEY');
  });

  test('Last-Event-ID resumes from the buffer: newer matching events, then live ones, no repeats', async () => {
    const fresh = await t.newProject(t.ownerKey, 'acme-resume');
    const burst = [1, 2, 3, 4, 5].map((i) => liveEvent(fresh.id, { event: i % 2 ? 'signup' : 'page_view' }));
    t.stores.bus.publish(burst);
    const s = await t.stream('project=acme-resume&events=signup', { 'last-event-id': burst[0].id });
    const live = liveEvent(fresh.id, { event: 'signup' });
    try {
      await s.next();
      t.stores.bus.publish([live]);
      await s.next((f) => f.id === live.id);
      assert.deepEqual(s.frames.map((f) => f.id ?? f.type), ['connected', burst[2].id, burst[4].id, live.id]);
    } finally {
      s.close();
    }

    // An id that already left the buffer resumes from the oldest buffered event newer than it;
    // an id we never issued replays nothing.
    const evicted = await t.stream('project=acme-resume&events=signup', { 'last-event-id': '01JNB6W9X3Q5R7T9V1X0000000' });
    const garbage = await t.stream('project=acme-resume&events=signup', { 'last-event-id': 'hello' });
    try {
      await evicted.next((f) => f.id === live.id);
      assert.deepEqual(evicted.frames.map((f) => f.id ?? f.type), ['connected', burst[0].id, burst[2].id, burst[4].id, live.id]);
      const marker = liveEvent(fresh.id, { event: 'signup' });
      t.stores.bus.publish([marker]);
      await garbage.next((f) => f.id === marker.id);
      assert.deepEqual(garbage.frames.map((f) => f.id ?? f.type), ['connected', marker.id]);
    } finally {
      evicted.close();
      garbage.close();
    }
  });
});
