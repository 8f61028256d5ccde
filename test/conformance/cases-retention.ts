// Conformance: GET /retention on project `retention` (dataset.ts). Weekly, 3 cohorts, today Mon 2026-03-09:
// S = 2026-02-17; cohort 0 = 02-17…02-23, cohort 1 = 02-24…03-02, cohort 2 = 03-03…03-09.
//   cohort 0: ra (back weeks 1, 2), rb (first seen 02-23 23:59; back week 2), rf, rh (session across the
//             02-23/02-24 boundary stays in week 0); rc first seen 02-10 → excluded
//   cohort 1: rd (02-24 00:00; again 03-02 = same week; back 03-09)      cohort 2: re
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retentionReport } from '../../src/reports/retention.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const retention = { projectId: PROJECTS.retention, project: 'retention' };
const none = { event: undefined, returning_event: undefined };

export function retentionCases(c: Conformance): void {
  test('retention: rolling weekly cohorts, triangular arrays, size-weighted averages', async () => {
    assert.deepEqual(await retentionReport(c.ctx(), { ...retention, period: 'week', cohorts: '3', ...none }), {
      project: 'retention',
      period: 'week',
      cohorts: [
        { date: '2026-02-17', users: 4, retained: [4, 1, 2], rates: [1, 0.25, 0.5] },
        { date: '2026-02-24', users: 1, retained: [1, 1], rates: [1, 1] },
        { date: '2026-03-03', users: 1, retained: [1], rates: [1] },
      ],
      average_rates: [1, 0.4, 0.5],
      users_analyzed: 6,
    });
  });

  test('retention: event-based (first and returning event), and returns only (session first-seen)', async () => {
    assert.deepEqual(await retentionReport(c.ctx(), { ...retention, period: 'week', cohorts: 3, event: 'ping', returning_event: undefined }), {
      project: 'retention',
      period: 'week',
      cohorts: [
        { date: '2026-02-17', users: 1, retained: [1, 1, 0], rates: [1, 1, 0] },
        { date: '2026-02-24', users: 2, retained: [2, 0], rates: [1, 0] },
      ],
      average_rates: [1, 0.333, 0],
      users_analyzed: 3,
    });
    const returns = await retentionReport(c.ctx(), { ...retention, period: 'week', cohorts: 3, event: undefined, returning_event: 'ping' });
    assert.deepEqual(returns.cohorts.map((x) => x.retained), [[4, 1, 0], [1, 0], [1]]);
    assert.deepEqual(returns.average_rates, [1, 0.2, 0]);
    assert.equal(returns.users_analyzed, 6);
  });

  test('retention: empty cohorts are omitted and averages are as long as the longest cohort', async () => {
    // month = 30 days: S = 2026-01-09; everyone's first session falls in cohort 1 (02-08…03-09).
    assert.deepEqual(await retentionReport(c.ctx(), { ...retention, period: 'month', cohorts: '2', ...none }), {
      project: 'retention', period: 'month',
      cohorts: [{ date: '2026-02-08', users: 7, retained: [7], rates: [1] }],
      average_rates: [1], users_analyzed: 7,
    });
    // day × 7: S = 03-03; only re (03-05) is first seen in range.
    const days = await retentionReport(c.ctx(), { ...retention, period: 'day', cohorts: 7, ...none });
    assert.deepEqual(days.cohorts, [{ date: '2026-03-05', users: 1, retained: [1, 0, 0, 0, 0], rates: [1, 0, 0, 0, 0] }]);
    assert.deepEqual(days.average_rates, [1, 0, 0, 0, 0]);
    const empty = await retentionReport(c.ctx(), { projectId: PROJECTS.empty, project: 'empty', period: undefined, cohorts: undefined, ...none });
    assert.deepEqual(empty, { project: 'empty', period: 'week', cohorts: [], average_rates: [], users_analyzed: 0 });
  });

  test('retention: first-seen only from retained data (retention_days = 20 keeps rc, first seen 02-20)', async () => {
    const r = await retentionReport(c.ctx(20), { ...retention, period: 'week', cohorts: 3, ...none });
    assert.deepEqual(r.cohorts[0], { date: '2026-02-17', users: 5, retained: [5, 1, 2], rates: [1, 0.2, 0.4] });
    assert.deepEqual(r.average_rates, [1, 0.333, 0.4]);
    assert.equal(r.users_analyzed, 7);
  });
}
