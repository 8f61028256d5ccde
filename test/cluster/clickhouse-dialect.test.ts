// Every Dialect hook, evaluated on the same rows by DuckDB (duckdbDialect) and ClickHouse
// (clickhouseDialect, chdb in-process): whole result sets must be identical. Edge cases on purpose:
// absent keys, JSON null, non-string JSON, NULL columns, week/month/day boundaries, ties, NULL winners.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { openChdbClient } from '../../src/store/clickhouse/connect.js';
import { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventRow, EventStore, SqlValue } from '../../src/store/ports.js';
import type { Dialect } from '../../src/query/sql/dialect.js';
import { clickhouseDialect } from '../../src/query/sql/dialects/clickhouse.js';
import { duckdbDialect } from '../../src/query/sql/dialects/duckdb.js';

const H = 3_600_000;
const SUN = Date.UTC(2024, 5, 30, 23, 30); // Sunday 2024-06-30 23:30 UTC: day, week and month boundary ahead
let n = 0;
function row(over: Partial<EventRow>): EventRow {
  const ts = over.ts ?? SUN;
  return {
    id: `01J${String(n++).padStart(23, '0')}`, project_id: 'prj_d', ts, date: new Date(ts).toISOString().slice(0, 10), received_at: ts,
    event: 'page_view', user_id: null, session_id: null, path: '/', url: null, hostname: null, referrer: null, referrer_domain: null,
    title: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, browser: null,
    browser_version: null, os: null, device: null, country: null, language: null, screen: null, properties: null, ...over,
  };
}

const ROWS: EventRow[] = [
  row({ ts: SUN, user_id: 'u1', session_id: 's1', title: 'Pricing PLANS', properties: JSON.stringify({ plan: 'Pro', n: 3, f: 1.5, ok: true, obj: { a: [1, 'x'] }, nil: null, s: '', big: 2 ** 60, e: 1e21, tiny: 5e-7 }) }),
  row({ ts: SUN + H, user_id: 'u1', session_id: 's1', title: 'pricing', properties: JSON.stringify({ plan: 'free', n: '3', f: -0.25 }) }),
  row({ ts: SUN + 2 * H, user_id: 'u2', session_id: 's2', title: null, properties: null }),
  row({ ts: SUN + 25 * H, user_id: 'u2', session_id: 's3', title: 'Ünïcode ÄÖ', properties: '{}' }),
  row({ ts: SUN - 6 * 24 * H, user_id: null, session_id: 's4', title: '100%_off', properties: JSON.stringify({ plan: 'Pro' }) }),
  row({ ts: SUN + 24 * 31 * H, user_id: 'u3', session_id: 's5', title: 'x', properties: JSON.stringify({ n: 0 }) }),
  row({ ts: SUN + 2 * H, user_id: 'u1', session_id: 's1', title: 'tie', properties: JSON.stringify({ plan: null }) }),
];

let duck: DuckDbEventStore;
let client: ClickHouseClient;
let ch: ClickHouseEventStore;

before(async () => {
  duck = await DuckDbEventStore.open(':memory:', { readers: 1, threads: 1 });
  await duck.migrate();
  client = await openChdbClient(':memory:', 'aa_dialect_test');
  ch = new ClickHouseEventStore(client, { database: 'aa_dialect_test', cluster: null });
  await ch.migrate();
  await duck.insert(ROWS);
  await ch.insert(ROWS);
});
after(async () => {
  await duck?.close();
  await ch?.close();
});

/** Run the statement each dialect writes on its own engine; both answers must be the same rows. */
async function same(build: (d: Dialect) => string, params: SqlValue[] = ['prj_d']): Promise<unknown[]> {
  const run = (store: EventStore, d: Dialect) => store.query({ sql: build(d), params });
  const [fromDuck, fromCh] = await Promise.all([run(duck, duckdbDialect), run(ch, clickhouseDialect)]);
  assert.deepEqual(fromCh, fromDuck);
  assert.ok(fromDuck.length > 0, 'the probe returned rows');
  return fromDuck;
}

const byId = (select: (d: Dialect) => string) => (d: Dialect) =>
  `SELECT id, ${select(d)} FROM events WHERE project_id = ${d.param(0)} ORDER BY id`;

describe('ClickHouse dialect answers like DuckDB', () => {
  test('param and asDate', async () => {
    await same((d) => `SELECT count(*) AS n FROM events WHERE project_id = ${d.param(0)} AND date >= ${d.asDate(d.param(1))} AND ts < ${d.param(2)}`, ['prj_d', '2024-07-01', SUN + 24 * 31 * H]);
  });

  test('jsonText: strings, numbers, booleans, objects, empty, absent, JSON null, NULL column', async () => {
    const rows = await same(byId((d) => ['plan', 'n', 'f', 'ok', 'obj', 'nil', 's', 'big', 'e', 'tiny', 'absent'].map((k) => `${d.jsonText('properties', k)} AS ${k}`).join(', ')));
    assert.equal((rows[0] as Record<string, unknown>).obj, '{"a":[1,"x"]}');
  });

  test('jsonNumber: numbers only', async () => {
    await same(byId((d) => ['n', 'f', 'plan', 'ok', 'big', 'tiny', 'absent'].map((k) => `${d.jsonNumber('properties', k)} AS ${k}`).join(', ')));
  });

  test('asText of numbers, dates and text', async () => {
    await same(byId((d) => `${d.asText('ts')} AS t, ${d.asText('date')} AS d, ${d.asText('title')} AS ti`));
  });

  test('timeBucket for every unit, across day, week and month boundaries', async () => {
    await same(byId((d) => (['hour', 'day', 'week', 'month'] as const).map((u) => `${d.timeBucket(u, 'ts', 'date')} AS ${u}`).join(', ')));
    await same(byId((d) => `${d.timeBucket('week', 'ts', d.dateOf('ts'))} AS w, ${d.timeBucket('day', 'ts', d.dateOf('ts + 3600000'))} AS next_hour_day`));
  });

  test('weekday, hourOfDay, dateOf, daysBetween', async () => {
    await same(byId((d) => `${d.weekday('date')} AS wd, ${d.hourOfDay('ts')} AS h, ${d.asText(d.dateOf('ts'))} AS day, ${d.daysBetween(d.asDate(d.param(1)), 'date')} AS days`), ['prj_d', '2024-06-01']);
  });

  test('argMin / argMax over (ts, id), NULL values compete, ties broken by id', async () => {
    await same((d) => `SELECT session_id, ${d.argMin('title', ['ts', 'id'])} AS first_title, ${d.argMax('title', ['ts', 'id'])} AS last_title,
      ${d.argMax(d.jsonText('properties', 'plan'), ['ts', 'id'])} AS last_plan
      FROM events WHERE project_id = ${d.param(0)} GROUP BY session_id ORDER BY session_id`);
    const [u2] = await same((d) => `SELECT user_id, ${d.argMax('title', ['ts'])} AS last_title, ${d.argMin('title', ['ts'])} AS first_title
      FROM events WHERE project_id = ${d.param(0)} AND user_id = 'u2' GROUP BY user_id`);
    assert.deepEqual(u2, { user_id: 'u2', last_title: 'Ünïcode ÄÖ', first_title: null }, 'a NULL title wins when its row is first');
  });

  test('uniq counts distinct non-NULL values', async () => {
    await same((d) => `SELECT ${d.uniq('user_id')} AS users, ${d.uniq('session_id')} AS sessions, ${d.uniq(d.jsonText('properties', 'plan'))} AS plans FROM events WHERE project_id = ${d.param(0)}`);
  });

  test('containsIgnoreCase: ASCII folding only, % and _ literal, empty needle, NULL haystack', async () => {
    for (const needle of ['pricing', 'PLANS', 'üNï', 'Ünï', '%_', '0%', '', 'nothing']) {
      await same(byId((d) => `${d.containsIgnoreCase('title', d.param(1))} AS hit`), ['prj_d', needle]);
    }
  });

  test('nullSafeEq joins NULL keys to NULL keys', async () => {
    await same((d) => `SELECT a.user_id AS user_id, count(*) AS n FROM
      (SELECT user_id FROM events WHERE project_id = ${d.param(0)} GROUP BY user_id) a
      JOIN (SELECT user_id, id FROM events WHERE project_id = ${d.param(0)}) b ON ${d.nullSafeEq('a.user_id', 'b.user_id')}
      GROUP BY a.user_id ORDER BY a.user_id NULLS LAST`);
  });
});
