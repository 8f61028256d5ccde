// End to end over real HTTP: an event accepted by POST /track reaches a connected /stream within 100 ms,
// batches arrive in order, bots never appear, and /live sees what was tracked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LiveApp, startLiveApp } from './live-app.js';

const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('POST /track → /stream and /live', () => {
  let t: LiveApp;
  let project: { id: string; name: string; project_token: string };
  const track = (path: string, body: unknown, ua = BROWSER_UA) =>
    fetch(`${t.base}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': ua }, body: JSON.stringify(body) });

  before(async () => {
    t = await startLiveApp();
    project = await t.newProject(t.ownerKey, 'acme-web');
  });
  after(() => t.close());

  test('an accepted event reaches a connected stream in < 100 ms, as E16 frames it', async () => {
    const s = await t.stream('events=signup');
    try {
      await s.next();
      const sent = { token: project.project_token, event: 'signup', properties: { plan: 'pro', path: '/pricing' }, user_id: 'anon_k2j9', session_id: 'sess_p0o9' };
      const startedAt = performance.now();
      const res = await track('/track', sent);
      const acceptedAt = performance.now();
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { ok: true, queued: true });
      const frame = await s.next((f) => f.type === 'track', 1000);
      const afterAccept = frame.at - acceptedAt;
      assert.ok(afterAccept < 100, `frame arrived ${afterAccept.toFixed(1)} ms after the 202`);
      assert.ok(frame.at - startedAt < 1000, `request → frame ${(frame.at - startedAt).toFixed(1)} ms`);

      const data = JSON.parse(frame.data!);
      assert.match(data.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(frame.id, data.id);
      assert.ok(Math.abs(data.timestamp - Date.now()) < 5000);
      assert.deepEqual({ ...data, id: 'X', timestamp: 0 }, {
        id: 'X', project: 'acme-web', event: 'signup', properties: { plan: 'pro', path: '/pricing' },
        user_id: 'anon_k2j9', session_id: 'sess_p0o9', timestamp: 0, country: null,
      });
      // The same id is what /events stores: the stream shows committed events only.
      const stored = await fetch(`${t.base}/events?project=acme-web&limit=5`, { headers: { 'x-api-key': t.ownerKey } });
      assert.equal(stored.status, 200);
      assert.ok(JSON.stringify(await stored.json()).includes(data.id));
    } finally {
      s.close();
    }
  });

  test('a batch arrives in order; bot traffic never reaches the stream', async () => {
    const s = await t.stream('filter=source:batch');
    try {
      await s.next();
      const bot = await track('/track', { token: project.project_token, event: 'page_view', properties: { source: 'batch', n: -1 } }, 'Googlebot/2.1 (+http://www.google.com/bot.html)');
      assert.equal(bot.status, 200);
      const events = [0, 1, 2, 3, 4].map((n) => ({ token: project.project_token, event: 'page_view', properties: { source: 'batch', n, path: `/p${n}` }, user_id: `u${n}`, session_id: 's' }));
      const res = await track('/track/batch', { events });
      assert.equal(res.status, 202);
      for (let n = 0; n < 5; n++) assert.equal(JSON.parse((await s.next((f) => f.type === 'track', 1000)).data!).properties.n, n);
      assert.equal(s.frames.filter((f) => f.type === 'track').length, 5, 'no bot event');
    } finally {
      s.close();
    }
  });

  test('/live reflects tracked events at once', async () => {
    const res = await fetch(`${t.base}/live?project=acme-web`, { headers: { 'x-api-key': t.ownerKey } });
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(body.active_visitors, 6); // anon_k2j9 + u0..u4
    assert.deepEqual(body.top_events, [{ event: 'page_view', count: 5 }, { event: 'signup', count: 1 }]);
    assert.equal(body.recent_events.length, 6);
  });
});
