// The DuckDB property-values rollup (store/duckdb/rollups.ts, read by plan.ts propertyRollupFor): every /breakdown
// of a JSON key read from it, and every count under one `eq` filter on such a key, equals the same read from the raw
// events (a dialect without the rollup), over values of every JSON type, events without a user, ties and limits, across folds, identify, purge and the
// upgrade from schema 7 (migration 8 builds the rollup from the events already there).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReadContext } from '../../src/query/run.js';
import { runAggregate } from '../../src/query/run.js';
import { compileAggregate } from '../../src/query/sql/compile.js';
import { duckdbDialect } from '../../src/query/sql/dialects/duckdb.js';
import type { AggregateQuery } from '../../src/query/types.js';
import { breakdownReport } from '../../src/reports/breakdown.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventRow } from '../../src/store/ports.js';
import { eventRows, type EventSpec } from '../helpers/events.js';
import { prng } from '../helpers/prng.js';

const NOW = Date.parse('2026-03-09T12:00:00Z');
const DAY = 86_400_000;
const P = 'proj_pv';
const OTHER = 'proj_pv_other';
const dir = mkdtempSync(join(tmpdir(), 'aa-property-values-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Values of every JSON type a key may hold; `undefined` leaves the key out. */
const VALUES: Record<string, unknown[]> = {
  plan: ['free', 'pro', 'team', 'Ärger', 'é', undefined],
  amount: [1, 1.5, 2.5, 1000, -3, 0, 12345678901234567890, 1e-7, undefined],
  flag: [true, false, undefined],
  empty: ['', ' ', undefined],
  nested: [{ a: [1, 2] }, [1, 'x'], {}, [], { b: null }, undefined],
  maybe: [null, 'v', undefined],
  hostname: ['a.example', 'b.example'],
  mixed: ['1', 1, true, 'true', null, '', [true], undefined],
  // Promoted and odd keys: never in the rollup, never breaking a fold.
  path: ['/x', '/y'],
  country: ['XX', undefined],
  'a b': [1, undefined],
  'x.y': ['dot', undefined],
  'é': ['k', undefined],
};
const EVENTS = ['page_view', 'signup', 'purchase', '$click'];
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', null, null];

/** `n` seeded events over the 20 days before NOW (a few in the future of the window's start, some outside it). */
function randomEvents(seed: number, n: number): EventSpec[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: n }, () => {
    const props: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(VALUES)) {
      const v = pick(values);
      if (v !== undefined) props[key] = v;
    }
    const user = pick(USERS);
    return { ts: NOW - Math.floor(r() * 20 * DAY), event: pick(EVENTS), user, session: user ? `s_${user}_${Math.floor(r() * 3)}` : null, props };
  });
}

/** Ties: three values with equal counts and users, so the limit cuts by the value (ascending). */
const TIES: EventSpec[] = ['c', 'a', 'b'].flatMap((v) => [1, 2].map((i) => ({ ts: NOW - i * 3_600_000, event: 'tie', user: `t${i}`, props: { tie: v } })));

/** 40 keys on one event: a fold with more keys than one parse per row takes (KEYS_PER_PASS) reads them key by key. */
const MANY_KEYS = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i % 3 === 0 ? i : `v${i % 4}`]));

/** Rows as ingestion never writes them, but a store may hold: a repeated key, no properties at all, a JSON array. */
function oddRows(): EventRow[] {
  const rows = eventRows(P, [
    { ts: NOW - DAY, event: 'signup', user: 'u1', props: { plan: 'x' } },
    { ts: NOW - DAY, event: 'signup', user: null, props: null },
    { ts: NOW - DAY, event: 'signup', user: 'u2', props: { plan: 'y' } },
    { ts: NOW - DAY, event: 'signup', user: 'u3', props: MANY_KEYS },
    { ts: NOW - 2 * DAY, event: 'page_view', user: 'u4', props: { ...MANY_KEYS, plan: 'free' } },
  ]);
  rows[0].properties = '{"plan":"dup1","plan":"dup2","amount":7,"amount":8}';
  rows[2].properties = '["plan","pro"]';
  return rows;
}

const rolled = (store: DuckDbEventStore): ReadContext => ({ store, dialect: duckdbDialect, retentionDays: -1, now: NOW });
const raw = (store: DuckDbEventStore): ReadContext => ({ store, dialect: { ...duckdbDialect, propertyValues: null }, retentionDays: -1, now: NOW });

const KEYS = ['plan', 'amount', 'flag', 'empty', 'nested', 'maybe', 'hostname', 'mixed', 'tie', 'absent', 'path', 'country', 'k4', 'k9'];

/** Every breakdown shape the rollup answers (and a few it leaves to the raw path), as one object. */
async function breakdowns(ctx: ReadContext) {
  const out: Record<string, unknown> = {};
  const base = { projectId: P, project: 'pv' };
  for (const property of KEYS) {
    for (const [event, since, limit] of [[undefined, '7d', undefined], [undefined, '30d', '2'], ['signup', '7d', undefined], ['tie', '30d', '2'], ['nope', '7d', '1'], [undefined, '1d', '1']] as const) {
      out[`${property} ${event} ${since} ${limit}`] = await breakdownReport(ctx, { ...base, property, event, since, limit });
    }
  }
  // A `filters=` parameter takes the raw path on both sides.
  out.filtered = await breakdownReport(ctx, { ...base, property: 'plan', event: undefined, since: '30d', limit: undefined, filters: JSON.stringify([{ field: 'event', op: 'eq', value: 'signup' }]) });
  // Bounded windows and other orders, as a preset may ask.
  const q = (over: Partial<AggregateQuery>): AggregateQuery => ({
    scope: 'events', projectId: P, window: { from: '2026-02-25', to: '2026-03-04' }, countMode: 'raw', order: [{ key: 'unique_users', dir: 'asc' }], limit: 3,
    filters: [{ op: 'set', field: 'properties.mixed', value: null }], dimensions: ['property:mixed'], metrics: ['unique_users', 'event_count'], ...over,
  });
  out.bounded = await runAggregate(ctx, q({}));
  out.byValue = await runAggregate(ctx, q({ order: [{ key: 'property:mixed', dir: 'desc' }], limit: null }));
  out.countsOnly = await runAggregate(ctx, q({ metrics: ['event_count'], order: [{ key: 'event_count', dir: 'desc' }], limit: 2 }));
  out.with = await runAggregate(ctx, q({ filters: [{ op: 'eq', field: 'event', value: 'purchase' }], dimensions: [], metrics: ['event_count', 'with:nested', 'unique_users'], order: [], limit: null }));
  // One `eq` on a JSON key (POST /query's filters) by nothing, date or event, open and bounded windows: text and
  // booleans from the rollup; a number, a value nobody sent and a nested value as well (numbers take the raw path).
  const eqs: [string, string | number | boolean][] = [['plan', 'pro'], ['flag', true], ['mixed', true], ['mixed', 'true'], ['mixed', '1'], ['empty', ''],
    ['plan', 'nope'], ['amount', 1.5], ['nested', '{"a":[1,2]}'], ['k4', 4]];
  for (const [key, value] of eqs) {
    for (const dims of [[], ['date'], ['event'], ['bucket_day']]) {
      for (const window of [{ from: '2026-02-20' }, { from: '2026-02-25', to: '2026-03-04' }]) {
        out[`eq ${key}=${JSON.stringify(value)} ${dims} ${JSON.stringify(window)}`] = await runAggregate(ctx, q({
          window, filters: [{ op: 'eq', field: `properties.${key}`, value }], dimensions: dims, metrics: ['event_count', 'unique_users'],
          order: dims.length ? [{ key: dims[0], dir: 'desc' }] : [], limit: null,
        }));
      }
    }
  }
  out.eqOnEvent = await runAggregate(ctx, q({ window: { from: '2026-02-20' }, filters: [{ op: 'eq', field: 'event', value: 'signup' }, { op: 'eq', field: 'properties.plan', value: 'pro' }],
    dimensions: ['date'], metrics: ['unique_users', 'event_count'], order: [{ key: 'event_count', dir: 'desc' }], limit: 3 }));
  // Users alone by date: a date whose events of that value have no user is still a group (0 users).
  for (const value of ['pro', 'free']) {
    out[`eqUsersOnly ${value}`] = await runAggregate(ctx, q({ window: { from: '2026-02-20' }, filters: [{ op: 'eq', field: 'properties.plan', value }],
      dimensions: ['date'], metrics: ['unique_users'], order: [], limit: null }));
  }
  out.eqUsersOnlyTotal = await runAggregate(ctx, q({ window: { from: '2026-02-20' }, filters: [{ op: 'eq', field: 'properties.plan', value: 'pro' }], dimensions: [], metrics: ['unique_users'], order: [], limit: null }));
  out.eqCountsOnly = await runAggregate(ctx, q({ window: { from: '2026-02-20' }, filters: [{ op: 'eq', field: 'properties.plan', value: 'free' }], dimensions: ['event'], metrics: ['event_count'], order: [], limit: null }));
  return out;
}

async function openStore(name: string): Promise<DuckDbEventStore> {
  const store = await DuckDbEventStore.open(join(dir, name), { rollupFoldMs: 0, layoutMs: 0 });
  await store.migrate();
  return store;
}

describe('DuckDB property-values rollup', () => {
  test('the breakdown shapes of a JSON key compile to the rollup; the raw dialect reads the JSON', () => {
    const values: AggregateQuery = {
      scope: 'events', projectId: P, window: { from: '2026-03-01' }, countMode: 'raw', order: [{ key: 'event_count', dir: 'desc' }], limit: 20,
      filters: [{ op: 'set', field: 'properties.plan', value: null }], dimensions: ['property:plan'], metrics: ['event_count', 'unique_users'],
    };
    const viaRollup = compileAggregate(values, duckdbDialect).sql;
    // Open-ended window: users from each user's last date per value; a bounded one: the per-date users.
    assert.match(viaRollup, /FROM rollup_property_counts .* FROM rollup_property_last\s/s);
    const bounded = compileAggregate({ ...values, window: { from: '2026-03-01', to: '2026-03-05' } }, duckdbDialect).sql;
    assert.match(bounded, /FROM rollup_property_counts .* FROM rollup_property_users /s);
    const onEvent = compileAggregate({ ...values, filters: [...values.filters, { op: 'eq', field: 'event', value: 'signup' }] }, duckdbDialect).sql;
    assert.match(onEvent, /FROM rollup_property_counts .* FROM rollup_property_event_users /s);
    assert.doesNotMatch(viaRollup, /json_extract|FROM events/);
    assert.match(compileAggregate({ ...values, filters: [], dimensions: [], metrics: ['event_count', 'with:plan'], order: [], limit: null }, duckdbDialect).sql, /FROM rollup_property_counts /);
    assert.doesNotMatch(compileAggregate(values, { ...duckdbDialect, propertyValues: null }).sql, /rollup_property/);
    // One `eq` on a JSON key, by date: the rollup's rows of that value, never the events' JSON; a number: the events.
    const eq = (value: string | number) => compileAggregate({ ...values, filters: [{ op: 'eq', field: 'properties.plan', value }], dimensions: ['date'], order: [], limit: null }, duckdbDialect).sql;
    assert.match(eq('pro'), /FROM rollup_property_counts .* FROM rollup_property_users /s);
    assert.doesNotMatch(eq('pro'), /json_extract|FROM events/);
    assert.match(eq(5), /FROM events/);
  });

  test('answers equal the raw path across folds, late events, identify and purge', async () => {
    const store = await openStore('a.duckdb');
    try {
      const specs = randomEvents(18, 600);
      // Small batches with a read between: rows of one (date, event, key, value, user) merge across many folds.
      for (let i = 0; i < 300; i += 25) {
        await store.insert(eventRows(P, specs.slice(i, i + 25)));
        await breakdownReport(rolled(store), { projectId: P, project: 'pv', property: 'plan', event: undefined, since: '30d', limit: undefined });
      }
      await store.insert([...eventRows(OTHER, specs.slice(0, 100)), ...eventRows(P, TIES), ...oddRows()]);
      assert.deepEqual(await breakdowns(rolled(store)), await breakdowns(raw(store)));

      // Events arriving after a read are folded in before the next one.
      const before = await breakdownReport(rolled(store), { projectId: P, project: 'pv', property: 'plan', event: 'signup', since: '7d', limit: undefined });
      await store.insert(eventRows(P, [...specs.slice(300), { ts: NOW - 1000, event: 'signup', user: 'late', props: { plan: 'late' } }]));
      const late = await breakdownReport(rolled(store), { projectId: P, project: 'pv', property: 'plan', event: 'signup', since: '7d', limit: undefined });
      assert.deepEqual(late.values.find((v) => v.value === 'late'), { value: 'late', count: 1, unique_users: 1 });
      assert.ok(late.total_with_property > before.total_with_property);
      assert.deepEqual(await breakdowns(rolled(store)), await breakdowns(raw(store)));

      // Identify: into an existing user (their rows merge), to a new id, and from an id without events.
      await store.reassignUser(P, 'u2', 'u1');
      await store.reassignUser(P, 'u3', 'u9');
      await store.reassignUser(P, 'nobody', 'u4');
      assert.deepEqual(await breakdowns(rolled(store)), await breakdowns(raw(store)));

      // Retention purge, then events again on a purged date and a read.
      await store.purgeBefore([P], '2026-03-02');
      await store.insert(eventRows(P, randomEvents(7, 50)));
      assert.deepEqual(await breakdowns(rolled(store)), await breakdowns(raw(store)));

      // The rollup holds only keys whose breakdown reads the JSON.
      const keys = await store.query<{ key: string }>({ sql: 'SELECT DISTINCT key FROM rollup_property_counts ORDER BY key', params: [] });
      const manyKeys = Object.keys(MANY_KEYS).sort();
      assert.deepEqual(keys.map((k) => k.key), ['amount', 'empty', 'flag', 'hostname', 'maybe', 'mixed', 'nested', 'plan', 'tie', ...manyKeys].sort());
    } finally {
      await store.close();
    }
  });

  test('upgrade: an install of schema 7 gets the rollup built from its events by migration 8', async () => {
    const file = join(dir, 'b.duckdb');
    let store = await openStore('b.duckdb');
    await store.insert([...eventRows(P, [...randomEvents(3, 400), ...TIES]), ...oddRows()]);
    await store.reassignUser(P, 'u5', 'u6'); // folds everything first
    await store.close();
    // Back to the schema before the rollup, as an install of the previous release is.
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    for (const t of ['rollup_property_counts', 'rollup_property_event_users', 'rollup_property_users']) await conn.run(`DROP TABLE ${t}`);
    await conn.run('DELETE FROM schema_migrations WHERE version >= 8');
    conn.closeSync();
    db.closeSync();

    store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
    try {
      const expected = await breakdowns(raw(store));
      await store.migrate();
      // Built by the migration (a parse per key), not by a fold: every event was folded before the downgrade, so
      // the fold this read runs first adds nothing.
      const [built] = await store.query<{ n: number; users: number }>({
        sql: 'SELECT (SELECT sum(n) FROM rollup_property_counts) AS n, (SELECT count(*) FROM rollup_property_users) AS users', params: [],
      });
      assert.ok(Number(built.n) > 400 && Number(built.users) > 0, JSON.stringify(built));
      assert.deepEqual(await breakdowns(rolled(store)), expected);
      await store.migrate(); // idempotent
      assert.deepEqual(await breakdowns(rolled(store)), expected);
    } finally {
      await store.close();
    }
  });
});
