// Conformance: POST /funnel on project `funnel` (dataset.ts). Entities and their step times, by hand:
//   fu1 view 03-01 10:00 (google) → start 10:05 → done 11:00
//   fu2 start 09:00 BEFORE view 10:00 (google) → done 10:30: stuck at step 1
//   fu3 view 03-03 10:00 (no utm) → start 12:00 → done 03-04 11:00 (25 h later, another session)
//   fu4 view /home 10:00 → start 10:05 → view /pricing 10:10 (twitter) → start 10:20 → done 10:30
//   fu5 two views at the same instant (twitter), nothing else
//   anonymous session fs1: view 11:00 → start 11:01;   fu7 viewed before the 30-day lookback
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { funnelReport } from '../../src/reports/funnel.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const funnel = { projectId: PROJECTS.funnel, project: 'funnel' };
const PRICING = [{ property: 'path', op: 'eq', value: '/pricing' }];
const step = (n: number, event: string, users: number, conversion_rate: number, drop_off_rate: number, avg_time_to_next_ms: number | null) =>
  ({ step: n, event, users, conversion_rate, drop_off_rate, avg_time_to_next_ms });

export function funnelCases(c: Conformance): void {
  const run = (body: Record<string, unknown>) => funnelReport(c.ctx(), { ...funnel, body });

  test('funnel: ordered greedy steps, out-of-order events do not count, breakdown from the entry event', async () => {
    const r = await run({
      steps: [{ event: 'f_view', filters: PRICING }, { event: 'f_start' }, { event: 'f_done' }],
      breakdown: 'utm_source', breakdown_limit: 2,
    });
    assert.deepEqual(r, {
      project: 'funnel',
      // step 1: fu1 fu2 fu3 fu4(10:10) fu5; step 2: fu1 fu3 fu4(10:20); step 3: all three.
      steps: [
        step(1, 'f_view', 5, 1, 0, 2700000), // (5 min + 2 h + 10 min) / 3
        step(2, 'f_start', 3, 0.6, 0.4, 28900000), // (55 min + 23 h + 10 min) / 3
        step(3, 'f_done', 3, 1, 0, null),
      ],
      overall_conversion_rate: 0.6,
      breakdowns: [
        { value: 'google', steps: [step(1, 'f_view', 2, 1, 0, 300000), step(2, 'f_start', 1, 0.5, 0.5, 3300000), step(3, 'f_done', 1, 1, 0, null)], overall_conversion_rate: 0.5 },
        { value: 'twitter', steps: [step(1, 'f_view', 2, 1, 0, 600000), step(2, 'f_start', 1, 0.5, 0.5, 600000), step(3, 'f_done', 1, 1, 0, null)], overall_conversion_rate: 0.5 },
      ],
    });
    const all = await run({ steps: [{ event: 'f_view', filters: PRICING }, { event: 'f_start' }, { event: 'f_done' }], breakdown: 'utm_source' });
    assert.deepEqual(all.breakdowns?.map((b) => b.value), ['google', 'twitter', null]);
  });

  test('funnel: the conversion window is measured from step 1', async () => {
    const r = await run({ steps: [{ event: 'f_view', filters: PRICING }, { event: 'f_start' }, { event: 'f_done' }], conversion_window_hours: 24 });
    assert.deepEqual(r, {
      project: 'funnel',
      steps: [step(1, 'f_view', 5, 1, 0, 2700000), step(2, 'f_start', 3, 0.6, 0.4, 1950000), step(3, 'f_done', 2, 0.667, 0.333, null)],
      overall_conversion_rate: 0.4,
    });
  });

  test('funnel: without a step filter the earliest view is the entry (fu4 enters at 10:00)', async () => {
    const r = await run({ steps: [{ event: 'f_view' }, { event: 'f_start' }, { event: 'f_done' }] });
    assert.deepEqual(r.steps, [step(1, 'f_view', 5, 1, 0, 2600000), step(2, 'f_start', 3, 0.6, 0.4, 29200000), step(3, 'f_done', 3, 1, 0, null)]);
  });

  test('funnel: count_by session_id includes anonymous sessions; a later step in another session does not count', async () => {
    const r = await run({ steps: [{ event: 'f_view' }, { event: 'f_start' }], count_by: 'session_id' });
    assert.deepEqual(r.steps, [step(1, 'f_view', 6, 1, 0, 1965000), step(2, 'f_start', 4, 0.667, 0.333, null)]);
    assert.equal(r.overall_conversion_rate, 0.667);
  });

  test('funnel: a repeated step needs another event row (same instant allowed)', async () => {
    const r = await run({ steps: [{ event: 'f_view' }, { event: 'f_view' }] });
    assert.deepEqual(r.steps, [step(1, 'f_view', 5, 1, 0, 300000), step(2, 'f_view', 2, 0.4, 0.6, null)]);
  });

  test('funnel: neq skips events without the property (Q7), contains is case-insensitive', async () => {
    const neq = await run({ steps: [{ event: 'f_view', filters: [{ property: 'utm_source', op: 'neq', value: 'google' }] }, { event: 'f_start' }] });
    assert.deepEqual(neq.steps, [step(1, 'f_view', 2, 1, 0, 600000), step(2, 'f_start', 1, 0.5, 0.5, null)]);
    const contains = await run({ steps: [{ event: 'f_view', filters: [{ property: 'path', op: 'contains', value: 'PRIC' }] }, { event: 'f_start' }] });
    assert.deepEqual(contains.steps.map((s) => s.users), [5, 3]);
  });

  test('funnel: the entity cap keeps the earliest entries, whether found in a prefix of step-1 events or not', async () => {
    const body = { steps: [{ event: 'f_view', filters: PRICING }, { event: 'f_start' }, { event: 'f_done' }] };
    // Cap 2 → fu1, fu2; the first 3 views (fu1 fu2 fu3) already hold 2 entities.
    const capped = await funnelReport(c.ctx(), { ...funnel, body }, { maxEntities: 2, entryPrefix: 3 });
    assert.deepEqual(capped.steps.map((s) => s.users), [2, 1, 1]);
    // Cap 4 with a 2-view prefix (fu1 fu2): too few, so all views count → fu1 fu2 fu3 fu4.
    const fallback = await funnelReport(c.ctx(), { ...funnel, body }, { maxEntities: 4, entryPrefix: 2 });
    assert.deepEqual(fallback.steps.map((s) => s.users), [4, 3, 3]);
  });

  test('funnel: the lookback limits entries; no entries gives zeros', async () => {
    const r = await run({ steps: [{ event: 'f_view', filters: PRICING }, { event: 'f_start' }, { event: 'f_done' }], since: '2026-03-03' });
    assert.deepEqual(r.steps.map((s) => s.users), [3, 2, 2]);
    assert.deepEqual(await run({ steps: [{ event: 'nope' }, { event: "x' OR '1'='1" }] }), {
      project: 'funnel',
      steps: [step(1, 'nope', 0, 1, 0, null), step(2, "x' OR '1'='1", 0, 0, 0, null)],
      overall_conversion_rate: 0,
    });
  });
}
