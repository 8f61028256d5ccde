// Every planning step alone, with no engine: one table per step, each row an input and the decision it gets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clampToRetention, queryOrder, readFloor, readWindow, retentionFloor } from '../../src/query/plan.js';
import type { Window } from '../../src/query/types.js';

const NOW = Date.parse('2026-03-09T12:00:00Z');

describe('the read window (retention, §1.5)', () => {
  test('retentionFloor: today − retention_days, null when the account keeps everything', () => {
    const rows: [number, string | null][] = [[-1, null], [0, '2026-03-09'], [2, '2026-03-07'], [90, '2025-12-09']];
    for (const [days, floor] of rows) assert.equal(retentionFloor(days, NOW), floor, `retention_days ${days}`);
  });

  test('clampToRetention: the start is raised to the floor, never lowered; the rest of the window kept', () => {
    const rows: [Window, string | null, Window][] = [
      [{ from: '2026-03-01' }, null, { from: '2026-03-01' }],
      [{ from: '2026-03-01' }, '2026-03-07', { from: '2026-03-07' }],
      [{ from: '2026-03-08' }, '2026-03-07', { from: '2026-03-08' }],
      [{ from: '2026-03-07' }, '2026-03-07', { from: '2026-03-07' }],
      [{ from: '2020-01-01', to: '2026-03-08', fromTs: 1 }, '2026-03-07', { from: '2026-03-07', to: '2026-03-08', fromTs: 1 }],
      [{ from: '2020-01-01', to: '2020-02-01' }, '2026-03-07', { from: '2026-03-07', to: '2020-02-01' }],
    ];
    for (const [window, floor, planned] of rows) assert.deepEqual(clampToRetention(window, floor), planned, `${JSON.stringify(window)} floor ${floor}`);
  });

  test('readWindow and readFloor take the retention from the read context', () => {
    const rows: [number, string, string, string | null][] = [[-1, '2020-01-01', '2020-01-01', null], [2, '2026-03-01', '2026-03-07', '2026-03-07'], [30, '2026-03-01', '2026-03-01', '2026-02-07']];
    for (const [retentionDays, asked, from, floor] of rows) {
      assert.deepEqual(readWindow({ retentionDays, now: NOW }, { from: asked, to: '2026-03-09' }), { from, to: '2026-03-09' }, `retention_days ${retentionDays}`);
      assert.equal(readFloor({ retentionDays, now: NOW }), floor);
    }
  });
});

test('queryOrder (§E5): order_by when orderable and in the result, else date when grouped by it, else the first metric', () => {
  const rows: [unknown, unknown, string[], string[], string][] = [
    [undefined, undefined, [], ['event_count'], 'event_count desc'],
    [undefined, 'asc', ['date'], ['unique_users', 'event_count'], 'date asc'],
    ['event_count', 'asc', ['event'], ['unique_users', 'event_count'], 'event_count asc'],
    ['event', 'sideways', ['event'], ['event_count'], 'event desc'],
    ['bounce_rate', undefined, ['event'], ['bounce_rate', 'event_count'], 'bounce_rate desc'],
    ['session_count', undefined, [], ['event_count'], 'event_count desc'],
    ['country', undefined, ['country'], ['event_count'], 'event_count desc'],
  ];
  for (const [orderBy, order, groupBy, metrics, expected] of rows) {
    assert.deepEqual(queryOrder(orderBy, order, groupBy, metrics).map((o) => `${o.key} ${o.dir}`), [expected], `order_by ${String(orderBy)}`);
  }
});
