// Each report flag end to end: real events through POST /track/batch, the report route answers with `flags`
// only when the anomaly is there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t.close(); });

const DAY = 86_400_000;
type Ev = { event: string; user_id?: string; session_id?: string; timestamp?: number; properties?: Record<string, unknown> };

async function projectWith(name: string, events: Ev[]): Promise<string> {
  const p = await t.newProject(t.ownerKey, name);
  if (events.length) {
    const res = await t.app.inject({ method: 'POST', url: '/track/batch', payload: { token: p.project_token, events } });
    assert.equal(res.statusCode, 202, res.body);
  }
  return name;
}

async function get(url: string) {
  const res = await t.app.inject({ url, headers: { 'x-api-key': t.ownerKey } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

test('anonymous-only tracking on /stats', async () => {
  const anon = await projectWith('flags-anon', [{ event: 'page_view' }, { event: 'page_view' }]);
  const known = await projectWith('flags-known', [{ event: 'page_view', user_id: 'u1' }]);
  const empty = await projectWith('flags-empty-stats', []);
  const flagged = await get(`/stats?project=${anon}`);
  assert.deepEqual(flagged.flags.map((f: { code: string }) => f.code), ['anonymous_only_tracking']);
  assert.equal('flags' in (await get(`/stats?project=${known}`)), false);
  assert.equal('flags' in (await get(`/stats?project=${empty}`)), false);
});

test('bounce-rate spike on /insights', async () => {
  const now = Date.now();
  const prev = now - 10 * DAY;
  const cur = now - DAY;
  // Previous week: one bounce out of two sessions (0.5); this week: every session bounces (1.0) → +100 %.
  const spiking = await projectWith('flags-bounce', [
    { event: 'page_view', user_id: 'a', session_id: 'p1', timestamp: prev },
    { event: 'page_view', user_id: 'b', session_id: 'p2', timestamp: prev },
    { event: 'signup', user_id: 'b', session_id: 'p2', timestamp: prev + 1000 },
    { event: 'page_view', user_id: 'c', session_id: 'c1', timestamp: cur },
    { event: 'page_view', user_id: 'd', session_id: 'c2', timestamp: cur },
  ]);
  const steady = await projectWith('flags-steady', [
    { event: 'page_view', user_id: 'a', session_id: 'p1', timestamp: prev },
    { event: 'signup', user_id: 'a', session_id: 'p1', timestamp: prev + 1000 },
    { event: 'page_view', user_id: 'c', session_id: 'c1', timestamp: cur },
    { event: 'signup', user_id: 'c', session_id: 'c1', timestamp: cur + 1000 },
  ]);
  const flagged = await get(`/insights?project=${spiking}&period=7d`);
  assert.equal(flagged.metrics.bounce_rate.change_pct, 100);
  assert.deepEqual(flagged.flags.map((f: { code: string }) => f.code), ['bounce_rate_spike']);
  assert.equal('flags' in (await get(`/insights?project=${steady}&period=7d`)), false);
});

test('retention cliff on /retention', async () => {
  const now = Date.now();
  // First seen 10 days ago (previous weekly cohort); only the loyal user comes back in the current week.
  const cliff = await projectWith('flags-cliff', [
    { event: 'page_view', user_id: 'gone', session_id: 's1', timestamp: now - 10 * DAY },
  ]);
  const loyal = await projectWith('flags-loyal', [
    { event: 'page_view', user_id: 'back', session_id: 's1', timestamp: now - 10 * DAY },
    { event: 'page_view', user_id: 'back', session_id: 's2', timestamp: now - DAY },
  ]);
  const flagged = await get(`/retention?project=${cliff}&period=week&cohorts=2`);
  assert.equal(flagged.average_rates[1], 0);
  assert.deepEqual(flagged.flags.map((f: { code: string }) => f.code), ['retention_cliff']);
  const fine = await get(`/retention?project=${loyal}&period=week&cohorts=2`);
  assert.equal(fine.average_rates[1], 1);
  assert.equal('flags' in fine, false);
});

test('stale heatmap on /heatmap', async () => {
  const empty = await projectWith('flags-empty-heatmap', []);
  const busy = await projectWith('flags-busy-heatmap', [{ event: 'page_view', user_id: 'u1' }]);
  const flagged = await get(`/heatmap?project=${empty}`);
  assert.deepEqual(flagged.heatmap, []);
  assert.deepEqual(flagged.flags.map((f: { code: string }) => f.code), ['stale_heatmap']);
  assert.equal('flags' in (await get(`/heatmap?project=${busy}`)), false);
});
