// Conformance: the empty string is a value everywhere (project `direct`). The tracker sends `referrer: ""`
// for a direct visit; it must be listed, grouped and filterable as "", distinct from a missing key (null).
// By hand: referrer "" on events 1 and 3 (u1, u2), google on event 4 (u3), none on 2, 5, 6, 7;
// coupon "" on event 2 (u1), "SPRING" on event 5 (u3), none elsewhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakdownReport } from '../../src/reports/breakdown.js';
import { funnelReport } from '../../src/reports/funnel.js';
import { queryReport } from '../../src/reports/query.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const direct = { projectId: PROJECTS.direct, project: 'direct' };

export function directCases(c: Conformance): void {
  test('direct: breakdown lists "" with its count, for a promoted column and for a JSON key', async () => {
    assert.deepEqual(await breakdownReport(c.ctx(), { ...direct, property: 'referrer', event: undefined, since: '7d', limit: undefined }), {
      project: 'direct', property: 'referrer', event: null,
      values: [{ value: '', count: 2, unique_users: 2 }, { value: 'https://google.com/', count: 1, unique_users: 1 }],
      total_events: 7, total_with_property: 3,
    });
    assert.deepEqual(await breakdownReport(c.ctx(), { ...direct, property: 'coupon', event: 'signup', since: '7d', limit: undefined }), {
      project: 'direct', property: 'coupon', event: 'signup',
      values: [{ value: '', count: 1, unique_users: 1 }, { value: 'SPRING', count: 1, unique_users: 1 }],
      total_events: 3, total_with_property: 2,
    });
  });

  test('direct: funnel breakdown groups "" apart from null (no referrer sent)', async () => {
    const r = await funnelReport(c.ctx(), { ...direct, body: { steps: [{ event: 'page_view' }, { event: 'signup' }], breakdown: 'referrer' } });
    const groups = Object.fromEntries((r.breakdowns ?? []).map((b) => [String(b.value), b.steps.map((s) => s.users)]));
    // "": u1 converts, u2 does not; google: u3 converts; null: u4 converts.
    assert.deepEqual(groups, { '': [2, 1], 'https://google.com/': [1, 1], null: [1, 1] });
    assert.deepEqual(r.breakdowns?.map((b) => b.value), ['', 'https://google.com/', null]);
  });

  test('direct: /query filters match "" (eq), and exclude it (neq)', async () => {
    const run = (body: Record<string, unknown>) => queryReport(c.ctx(), { ...direct, body });
    const count = async (field: string, op: string, value: unknown) => (await run({ filters: [{ field, op, value }] })).rows[0].event_count;
    assert.equal(await count('properties.referrer', 'eq', ''), 2);
    assert.equal(await count('properties.referrer', 'neq', ''), 1); // a missing referrer matches neither (Q7)
    assert.equal(await count('properties.coupon', 'eq', ''), 1);
    assert.equal(await count('properties.coupon', 'neq', ''), 1);
  });
}
