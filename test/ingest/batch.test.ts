import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, listEvents, post } from './helpers.js';

describe('POST /track/batch', () => {
  let t: TestApp;
  let token: string;
  let projectId: string;
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'batchy');
    token = p.project_token;
    projectId = p.id;
  });
  after(async () => t.close());

  test('100 events → 202 with count, all stored', async () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ token, event: 'b', properties: { i }, session_id: 's1' }));
    const res = await post(t, '/track/batch', { events });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json(), { ok: true, queued: true, count: 100 });
    assert.equal(await countRows(t, projectId), 100);
    const listed = await listEvents(t, 'batchy', '&limit=1000');
    assert.deepEqual(listed.map((e) => e.properties.i).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  });

  test('shape errors come before the token check (Q10)', async () => {
    const cases: [unknown, string][] = [
      [{}, 'INVALID_BODY'],
      [{ events: [] }, 'INVALID_BODY'],
      [{ events: {} }, 'INVALID_BODY'],
      [{ events: [1] }, 'INVALID_BODY'],
      [{ events: Array.from({ length: 101 }, () => ({ token: 'aat_unknown', event: 'x' })) }, 'BATCH_TOO_LARGE'],
      [{ events: [{ token: 'aat_a', event: 'x' }, { token: 'aat_b', event: 'x' }] }, 'INVALID_BODY'],
    ];
    for (const [body, code] of cases) {
      const res = await post(t, '/track/batch', body);
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 60));
      assert.equal(res.json().error, code);
    }
    const big = await post(t, '/track/batch', { events: Array.from({ length: 101 }, () => ({ token, event: 'x' })) });
    assert.match(big.json().message, /100/);
    assert.equal((await post(t, '/track/batch', { events: [{ event: 'x' }] })).statusCode, 401);
    assert.equal((await post(t, '/track/batch', { events: [{ token: 'aat_nope', event: 'x' }] })).statusCode, 401);
  });

  test('a top-level token (or ?token=) is the default for events without one', async () => {
    const before = await countRows(t, projectId);
    assert.equal((await post(t, '/track/batch', { token, events: [{ event: 'd1' }, { event: 'd2', token }] })).statusCode, 202);
    assert.equal((await post(t, `/track/batch?token=${token}`, { events: [{ event: 'd3' }] })).statusCode, 202);
    assert.equal(await countRows(t, projectId), before + 3);
  });

  test('one invalid item rejects the whole batch, naming its index; nothing is stored', async () => {
    const before = await countRows(t, projectId);
    const res = await post(t, '/track/batch', { events: [{ token, event: 'fine' }, { token, event: 'fine' }, { token, event: 'bad', timestamp: 'yesterday' }] });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'INVALID_BODY');
    assert.match(res.json().message, /events\[2\]/);
    const missing = await post(t, '/track/batch', { events: [{ token, event: 'fine' }, { token }] });
    assert.equal(missing.json().error, 'MISSING_FIELDS');
    assert.match(missing.json().message, /events\[1\]/);
    assert.equal(await countRows(t, projectId), before);
  });

  test('bots get 200 dropped for a batch too, counted with the number of events', async () => {
    const res = await post(t, '/track/batch', { events: [{ token, event: 'a' }, { token, event: 'b' }] }, { 'user-agent': 'Mozilla/5.0 (compatible; AhrefsBot/7.0)' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, queued: false, dropped: 'bot' });
    const [row] = t.app.services.ingest.drops.botTraffic([projectId], '2000-01-01');
    assert.deepEqual([row.category, row.actor, row.requests, row.dropped_events], ['seo_research', 'AhrefsBot', 1, 2]);
  });
});
