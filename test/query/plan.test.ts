// Every planning step alone, with no engine: one table per step, each row a query and the decision it gets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AGGREGATE_STEPS, assignBlocks, choosePropertyRollup, chooseUserRollup, clampToRetention, newestFirstSpans, planAggregate, planCapabilities, queryOrder,
  propertyRollupFor, readFloor, readWindow, restrictTopN, retentionFloor, sqlOrders, startPlan, userRollupFor,
  type AggregatePlan, type MetricBlocks, type PlanCapabilities,
} from '../../src/query/plan.js';
import { addDays } from '../../src/query/time.js';
import type { AggregateQuery, Window } from '../../src/query/types.js';
import { clickhouseDialect } from '../../src/query/sql/dialects/clickhouse.js';
import { duckdbDialect } from '../../src/query/sql/dialects/duckdb.js';

const NOW = Date.parse('2026-03-09T12:00:00Z');
const ROLLUPS: PlanCapabilities = { userRollups: true, propertyValues: true };
const SCAN: PlanCapabilities = { userRollups: false, propertyValues: false };

/** An events query from 2026-03-01, ungrouped, event_count, unordered, unlimited — rows override. */
const query = (over: Partial<AggregateQuery>): AggregateQuery => ({
  scope: 'events', projectId: 'p', window: { from: '2026-03-01' }, filters: [], dimensions: [], metrics: ['event_count'],
  countMode: 'raw', order: [], limit: null, ...over,
});

/** The plan a step receives: every step before it applied. */
function planBefore(step: (p: AggregatePlan) => AggregatePlan, q: AggregateQuery, caps = ROLLUPS): AggregatePlan {
  const at = AGGREGATE_STEPS.indexOf(step);
  assert.ok(at >= 0, `${step.name} is a pipeline step`);
  return AGGREGATE_STEPS.slice(0, at).reduce((p, s) => s(p), startPlan(q, caps));
}

/** Metric names per non-empty block. */
function blockNames(b: MetricBlocks): Partial<Record<keyof MetricBlocks, string[]>> {
  return Object.fromEntries(Object.entries(b).filter(([, ms]) => ms.length > 0).map(([k, ms]) => [k, ms.map((m: { name: string }) => m.name)]));
}

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

test('startPlan resolves names in scope (count_mode swaps event_count); unknown names never reach SQL', () => {
  const dedup = startPlan(query({ metrics: ['event_count', 'unique_users'], countMode: 'session_then_user' }), SCAN);
  assert.deepEqual(dedup.metrics.map((m) => [m.name, m.block]), [['event_count', 'deduplicated'], ['unique_users', 'rows']]);
  assert.deepEqual(startPlan(query({ dimensions: ['property:plan', 'weekday'] }), SCAN).dimensions.map((x) => [x.name, x.type]), [['property:plan', 'text'], ['weekday', 'int']]);
  assert.throws(() => startPlan(query({ metrics: ['sessions'] }), SCAN), /unknown events metric/);
  assert.throws(() => startPlan(query({ dimensions: ['entry_page'] }), SCAN), /unknown events dimension/);
  assert.throws(() => startPlan(query({ dimensions: ['property:bad key'] }), SCAN), /unknown events dimension/);
});

test('step sqlOrders: SQL orders and limits unless an order key is a ratio or has no part to order by', () => {
  const rows: [Partial<AggregateQuery>, boolean][] = [
    [{ order: [] }, true],
    [{ dimensions: ['event'], metrics: ['event_count', 'unique_users'], order: [{ key: 'unique_users', dir: 'desc' }] }, true],
    [{ dimensions: ['event'], order: [{ key: 'event', dir: 'asc' }] }, true],
    [{ dimensions: ['event'], metrics: ['event_count', 'with:plan'], order: [{ key: 'with:plan', dir: 'desc' }] }, true],
    [{ metrics: ['event_count'], countMode: 'session_then_user', order: [{ key: 'event_count', dir: 'desc' }] }, true],
    [{ dimensions: ['event'], metrics: ['bounce_rate'], order: [{ key: 'bounce_rate', dir: 'desc' }] }, false],
    [{ dimensions: ['event'], metrics: ['event_count', 'first_seen'], order: [{ key: 'first_seen', dir: 'asc' }] }, false],
    [{ dimensions: ['date'], metrics: ['event_count', 'avg_duration'], order: [{ key: 'date', dir: 'asc' }, { key: 'avg_duration', dir: 'desc' }] }, false],
    [{ scope: 'sessions', dimensions: ['entry_page'], metrics: ['sessions', 'bounce_rate'], order: [{ key: 'sessions', dir: 'desc' }] }, true],
    [{ scope: 'sessions', dimensions: ['entry_page'], metrics: ['sessions', 'bounce_rate'], order: [{ key: 'bounce_rate', dir: 'desc' }] }, false],
  ];
  for (const [over, ordered] of rows) assert.equal(sqlOrders(planBefore(sqlOrders, query(over))).ordered, ordered, JSON.stringify(over));
});

test('step assignBlocks: each metric to the block that computes it', () => {
  const rows: [Partial<AggregateQuery>, ReturnType<typeof blockNames>][] = [
    [{ metrics: ['event_count', 'first_seen', 'with:path'] }, { base: ['event_count', 'first_seen', 'with:path'] }],
    [{ metrics: ['unique_users', 'event_count', 'session_count'] }, { base: ['event_count'], distinct: ['unique_users', 'session_count'] }],
    [{ metrics: ['bounce_rate', 'event_count', 'avg_duration'] }, { base: ['event_count'], referenced_sessions: ['bounce_rate', 'avg_duration'] }],
    [{ metrics: ['event_count', 'unique_users'], countMode: 'session_then_user' }, { distinct: ['unique_users'], deduplicated: ['event_count'] }],
    [{ scope: 'sessions', metrics: ['sessions', 'bounce_rate', 'users', 'avg_events'] }, { base: ['sessions', 'bounce_rate', 'users', 'avg_events'] }],
  ];
  for (const [over, blocks] of rows) assert.deepEqual(blockNames(assignBlocks(planBefore(assignBlocks, query(over))).blocks), blocks, JSON.stringify(over));
});

test('userRollupFor: which rollup answers distinct users for the query shape, or null (scan the events)', () => {
  const bounded: Window = { from: '2026-03-01', to: '2026-03-09' };
  const rows: [Partial<AggregateQuery>, PlanCapabilities, string | null][] = [
    [{}, ROLLUPS, 'users_last_seen'],
    [{ window: bounded }, ROLLUPS, 'user_days'],
    [{ dimensions: ['event'] }, ROLLUPS, 'event_users_last_seen'],
    [{ dimensions: ['event'], window: bounded }, ROLLUPS, null],
    [{ dimensions: ['date'], window: bounded }, ROLLUPS, 'day'],
    [{ dimensions: ['bucket_day'] }, ROLLUPS, 'day'],
    [{ dimensions: ['bucket_week'] }, ROLLUPS, 'week'],
    [{ dimensions: ['bucket_month'] }, ROLLUPS, 'month'],
    [{ dimensions: ['weekday', 'hour_of_day'] }, ROLLUPS, 'weekday_hour'],
    [{ dimensions: ['hour_of_day', 'weekday'] }, ROLLUPS, null],
    [{ dimensions: ['bucket_hour'] }, ROLLUPS, null],
    [{ dimensions: ['country'] }, ROLLUPS, null],
    [{ dimensions: ['event', 'date'] }, ROLLUPS, null],
    [{ filters: [{ op: 'eq', field: 'event', value: 'x' }] }, ROLLUPS, null],
    [{ window: { from: '2026-03-01', fromTs: NOW } }, ROLLUPS, null],
    [{ scope: 'sessions' }, ROLLUPS, null],
    [{}, SCAN, null],
  ];
  for (const [over, caps, rollup] of rows) assert.equal(userRollupFor(query(over), caps), rollup, `${JSON.stringify(over)} ${JSON.stringify(caps)}`);
});

test('step chooseUserRollup: unique_users leaves the distinct block only when a rollup answers it', () => {
  const rows: [Partial<AggregateQuery>, PlanCapabilities, string | null, ReturnType<typeof blockNames>][] = [
    [{ metrics: ['event_count', 'unique_users'] }, ROLLUPS, 'users_last_seen', { base: ['event_count'] }],
    [{ metrics: ['event_count', 'unique_users'] }, SCAN, null, { base: ['event_count'], distinct: ['unique_users'] }],
    [{ metrics: ['unique_users', 'session_count'], dimensions: ['date'] }, ROLLUPS, 'day', { distinct: ['session_count'] }],
    [{ metrics: ['event_count', 'session_count'] }, ROLLUPS, null, { base: ['event_count'], distinct: ['session_count'] }],
    [{ metrics: ['unique_users'], dimensions: ['country'] }, ROLLUPS, null, { distinct: ['unique_users'] }],
  ];
  for (const [over, caps, rollup, blocks] of rows) {
    const p = chooseUserRollup(planBefore(chooseUserRollup, query(over), caps));
    assert.equal(p.userRollup, rollup, JSON.stringify(over));
    assert.deepEqual(blockNames(p.blocks), blocks, JSON.stringify(over));
  }
});

/** /breakdown's two queries for JSON key `plan` (reports/breakdown.ts): the values, and the totals. */
const breakdownValues: Partial<AggregateQuery> = {
  filters: [{ op: 'set', field: 'properties.plan', value: null }], dimensions: ['property:plan'], metrics: ['event_count', 'unique_users'],
  order: [{ key: 'event_count', dir: 'desc' }], limit: 20,
};
const breakdownTotals: Partial<AggregateQuery> = { metrics: ['event_count', 'with:plan'] };

test('propertyRollupFor: the breakdown shapes of a JSON key read the property-values rollup; anything else scans', () => {
  const onEvent = { op: 'eq' as const, field: 'event', value: 'signup' };
  const setOf = (key: string) => ({ op: 'set' as const, field: `properties.${key}`, value: null });
  const rows: [Partial<AggregateQuery>, PlanCapabilities, object | null][] = [
    [breakdownValues, ROLLUPS, { form: 'values', key: 'plan' }],
    [{ ...breakdownValues, filters: [onEvent, setOf('plan')] }, ROLLUPS, { form: 'values', key: 'plan' }],
    [{ ...breakdownValues, window: { from: '2026-03-01', to: '2026-03-05' } }, ROLLUPS, { form: 'values', key: 'plan' }],
    [{ ...breakdownValues, metrics: ['unique_users'], order: [{ key: 'property:plan', dir: 'asc' }], limit: null }, ROLLUPS, { form: 'values', key: 'plan' }],
    [breakdownTotals, ROLLUPS, { form: 'with', key: 'plan' }],
    [{ ...breakdownTotals, filters: [onEvent] }, ROLLUPS, { form: 'with', key: 'plan' }],
    [{ metrics: ['event_count', 'with:hostname'] }, ROLLUPS, { form: 'with', key: 'hostname' }], // hostname falls back to the URL: read from JSON
    [breakdownValues, SCAN, null],
    // Column-backed keys and country read their columns.
    [{ ...breakdownValues, filters: [setOf('path')], dimensions: ['property:path'] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [{ op: 'set', field: 'country', value: null }], dimensions: ['property:country'] }, ROLLUPS, null],
    [{ metrics: ['event_count', 'with:country'] }, ROLLUPS, null],
    // Any other filter, an instant bound, sessions, deduplicated counts, other metrics or keys: the raw path.
    [{ ...breakdownValues, filters: [setOf('plan'), { op: 'eq', field: 'properties.plan', value: 'pro' }] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [setOf('plan'), { op: 'eq', field: 'country', value: 'US' }] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [setOf('plan'), onEvent, { ...onEvent, value: 'purchase' }] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [setOf('plan'), { op: 'neq', field: 'event', value: 'x' }] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [] }, ROLLUPS, null],
    [{ ...breakdownValues, filters: [setOf('value')] }, ROLLUPS, null],
    [{ ...breakdownValues, window: { from: '2026-03-01', fromTs: NOW } }, ROLLUPS, null],
    [{ ...breakdownValues, countMode: 'session_then_user' }, ROLLUPS, null],
    [{ ...breakdownValues, metrics: ['event_count', 'session_count'] }, ROLLUPS, null],
    [{ ...breakdownValues, dimensions: ['property:plan', 'event'] }, ROLLUPS, null],
    [{ ...breakdownTotals, filters: [setOf('plan')] }, ROLLUPS, null],
    [{ ...breakdownTotals, dimensions: ['event'] }, ROLLUPS, null],
    [{ metrics: ['event_count', 'with:plan', 'with:value'] }, ROLLUPS, null],
    [{ scope: 'sessions', metrics: ['sessions'] }, ROLLUPS, null],
  ];
  for (const [over, caps, rollup] of rows) assert.deepEqual(propertyRollupFor(query(over), caps), rollup, `${JSON.stringify(over)} ${JSON.stringify(caps)}`);
});

test('step choosePropertyRollup: `values` takes every metric (top N first stands), `with` takes only with:<key>', () => {
  const rows: [Partial<AggregateQuery>, PlanCapabilities, boolean, ReturnType<typeof blockNames>][] = [
    [breakdownValues, ROLLUPS, true, { property_values: ['event_count', 'unique_users'] }],
    [{ ...breakdownValues, limit: null }, ROLLUPS, false, { property_values: ['event_count', 'unique_users'] }],
    [{ ...breakdownValues, order: [{ key: 'unique_users', dir: 'desc' }] }, ROLLUPS, false, { property_values: ['event_count', 'unique_users'] }],
    [breakdownValues, SCAN, true, { base: ['event_count'], distinct: ['unique_users'] }],
    [breakdownTotals, ROLLUPS, false, { base: ['event_count'], property_values: ['with:plan'] }],
    [{ metrics: ['unique_users', 'with:plan'] }, ROLLUPS, false, { property_values: ['with:plan'] }],
    [breakdownTotals, SCAN, false, { base: ['event_count', 'with:plan'] }],
  ];
  for (const [over, caps, topN, blocks] of rows) {
    const p = planAggregate(query(over), caps);
    assert.equal(p.topN, topN, JSON.stringify(over));
    assert.deepEqual(blockNames(p.blocks), blocks, JSON.stringify(over));
    assert.deepEqual(blockNames(choosePropertyRollup(planBefore(choosePropertyRollup, query(over), caps)).blocks), blocks);
  }
});

test('step restrictTopN: one key, ordered in SQL by base keys, limited → distinct counts over the winners only', () => {
  const byCount = { dimensions: ['event'], metrics: ['event_count', 'unique_users'], order: [{ key: 'event_count', dir: 'desc' as const }], limit: 20 };
  const rows: [Partial<AggregateQuery>, PlanCapabilities, boolean, ReturnType<typeof blockNames>][] = [
    [byCount, SCAN, true, { base: ['event_count'], distinct: ['unique_users'] }],
    [{ ...byCount, order: [{ key: 'event', dir: 'asc' }] }, SCAN, true, { base: ['event_count'], distinct: ['unique_users'] }],
    [{ ...byCount, limit: null }, SCAN, false, { base: ['event_count', 'unique_users'] }],
    [{ ...byCount, order: [{ key: 'unique_users', dir: 'desc' }] }, SCAN, false, { base: ['event_count', 'unique_users'] }],
    [{ ...byCount, dimensions: ['event', 'country'] }, SCAN, false, { base: ['event_count', 'unique_users'] }],
    [{ ...byCount, metrics: ['event_count', 'unique_users', 'bounce_rate'], order: [{ key: 'bounce_rate', dir: 'desc' }] }, SCAN, false,
      { base: ['event_count', 'unique_users'], referenced_sessions: ['bounce_rate'] }],
    [{ ...byCount, countMode: 'session_then_user' }, SCAN, false, { base: ['unique_users'], deduplicated: ['event_count'] }],
    [{ ...byCount, metrics: ['unique_users', 'event_count'] }, SCAN, true, { base: ['event_count'], distinct: ['unique_users'] }],
    // The rollup took unique_users: nothing distinct is left to restrict.
    [{ ...byCount, window: { from: '2026-03-01' } }, ROLLUPS, false, { base: ['event_count'] }],
    [{ ...byCount, metrics: ['event_count', 'unique_users', 'session_count'] }, ROLLUPS, true, { base: ['event_count'], distinct: ['session_count'] }],
    [{ scope: 'sessions', dimensions: ['entry_page'], metrics: ['sessions'], order: [{ key: 'sessions', dir: 'desc' }], limit: 20 }, ROLLUPS, false, { base: ['sessions'] }],
  ];
  for (const [over, caps, topN, blocks] of rows) {
    const p = restrictTopN(planBefore(restrictTopN, query(over), caps));
    assert.equal(p.topN, topN, JSON.stringify(over));
    assert.deepEqual(blockNames(p.blocks), blocks, JSON.stringify(over));
  }
});

test('planAggregate: the /stats presets, planned per engine capability', () => {
  const caps = (d: typeof duckdbDialect) => planCapabilities(d);
  assert.deepEqual(caps(duckdbDialect), ROLLUPS);
  assert.deepEqual(caps(clickhouseDialect), { userRollups: true, propertyValues: false });
  const scanning = { ...clickhouseDialect, userRollups: null }; // an engine without distinct-user or property-values rollups
  assert.deepEqual(caps(scanning), SCAN);
  const topEvents = query({ dimensions: ['event'], metrics: ['event_count', 'unique_users'], order: [{ key: 'event_count', dir: 'desc' }], limit: 20 });
  const summary = (p: AggregatePlan) => ({ ordered: p.ordered, userRollup: p.userRollup, topN: p.topN, blocks: blockNames(p.blocks) });
  assert.deepEqual(summary(planAggregate(topEvents, caps(duckdbDialect))), { ordered: true, userRollup: 'event_users_last_seen', topN: false, blocks: { base: ['event_count'] } });
  assert.deepEqual(summary(planAggregate(topEvents, caps(clickhouseDialect))), summary(planAggregate(topEvents, caps(duckdbDialect))));
  assert.deepEqual(summary(planAggregate(topEvents, caps(scanning))), { ordered: true, userRollup: null, topN: true, blocks: { base: ['event_count'], distinct: ['unique_users'] } });
  const hourSeries = query({ window: { from: '2026-03-02', fromTs: NOW }, dimensions: ['bucket_hour'], metrics: ['event_count', 'unique_users'], order: [{ key: 'bucket_hour', dir: 'asc' }] });
  assert.deepEqual(summary(planAggregate(hourSeries, caps(duckdbDialect))), { ordered: true, userRollup: null, topN: false, blocks: { base: ['event_count', 'unique_users'] } });
  assert.deepEqual(AGGREGATE_STEPS.map((s) => s.name), ['sqlOrders', 'assignBlocks', 'chooseUserRollup', 'restrictTopN', 'choosePropertyRollup']);
});

test('newestFirstSpans: newest date open-ended first, then 1, 2, 4 … days back to the window start', () => {
  assert.deepEqual(newestFirstSpans('2026-03-01', '2026-03-10'), [
    { from: '2026-03-10' },
    { from: '2026-03-09', to: '2026-03-09' },
    { from: '2026-03-07', to: '2026-03-08' },
    { from: '2026-03-03', to: '2026-03-06' },
    { from: '2026-03-01', to: '2026-03-02' },
  ]);
  assert.deepEqual(newestFirstSpans('2026-03-01', '2026-03-01'), [{ from: '2026-03-01' }]);
  assert.deepEqual(newestFirstSpans('2026-03-05', '2026-03-01'), [{ from: '2026-03-05' }]);
  // Contiguous and disjoint: every date of the window in exactly one span.
  const spans = newestFirstSpans('2025-01-01', '2026-03-10');
  assert.ok(spans.length <= 12);
  for (let i = 2; i < spans.length; i++) assert.equal(addDays(spans[i].to!, 1), spans[i - 1].from);
  assert.equal(spans[spans.length - 1].from, '2025-01-01');
});
