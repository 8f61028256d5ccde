// Deterministic benchmark data for `npm run bench:query`: N events of one project over the last 30 days,
// bulk-loaded with one DuckDB INSERT … SELECT over range() (seeded hash expressions, no HTTP), into a data
// folder the real server then opens. The store's own fold builds the rollups, as in production.
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { bootstrapOwner } from '../src/accounts/accounts.js';
import type { Config } from '../src/config.js';
import { openMetaStore } from '../src/stores.js';
import { DuckDbEventStore } from '../src/store/duckdb/event-store.js';
import { keyOf } from '../src/store/duckdb/rollups.js';

export const BENCH_PROJECT = { id: 'proj_bench', name: 'bench' };
const DAY = 86_400_000;

/**
 * Sessions of 1–9 events (first one a page_view) spread over 30 days; ~4 sessions per user; 5% of
 * sessions anonymous (no user_id), 2% of events without a session. Paths skewed towards the first of
 * 200 pages; event names: page_view most, then $scroll_depth, $click, signup, purchase, search, …
 */
function insertSql(n: number, seed: number, now: number): string {
  const sessions = Math.max(1, Math.round(n / 5));
  const users = Math.max(1, Math.round(sessions / 4));
  const h = (expr: string) => `hash(${seed}, ${expr})`;
  const u = (expr: string) => `(${h(expr)} % 1000000) / 1000000.0`;
  return `INSERT INTO events (id, project_id, ts, date, received_at, event, user_id, session_id, path, url, hostname, referrer,
      referrer_domain, title, utm_source, browser, os, device, country, language, screen, properties, user_key, session_key)
    SELECT *, ${keyOf('user_id')}, ${keyOf('session_id')} FROM (
    WITH s AS (
      SELECT i AS sid, ${now - 30 * DAY} + CAST(${h('i, 1')} % ${30 * DAY - 3_600_000} AS BIGINT) AS st,
        CAST(1 + ${h('i, 2')} % 9 AS BIGINT) AS len, CAST(${h('i, 3')} % ${users} AS BIGINT) AS uid,
        ${h('i, 4')} % 20 = 0 AS anon,
        ['https://www.google.com/', 'https://t.co/x', NULL, NULL][CAST(1 + ${h('i, 5')} % 4 AS BIGINT)] AS referrer,
        CASE WHEN ${h('i, 6')} % 10 = 0 THEN ['newsletter', 'google', 'twitter'][CAST(1 + ${h('i, 7')} % 3 AS BIGINT)] END AS utm
      FROM range(${sessions}) t(i)
    ), e AS (
      SELECT s.*, k, st + k * CAST(${h('sid, k, 8')} % 120000 AS BIGINT) AS ts,
        CASE WHEN k = 0 THEN 'page_view' ELSE ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup',
          'purchase', 'search', 'add_to_cart'][CAST(1 + ${h('sid, k, 9')} % 10 AS BIGINT)] END AS event,
        '/p' || CAST(floor(200 * pow(${u('sid, k, 10')}, 2)) AS INTEGER) AS path,
        ${h('sid, k, 11')} % 50 = 0 AS sessionless
      FROM s, range(len) r(k)
    )
    SELECT printf('01BENCH%019d', row_number() OVER (ORDER BY ts, sid, k)), '${BENCH_PROJECT.id}', ts, CAST(epoch_ms(ts) AS DATE), ts, event,
      CASE WHEN anon THEN NULL ELSE 'anon_' || substr(md5('${seed}u' || uid), 1, 17) END,
      CASE WHEN sessionless THEN NULL ELSE 'sess_' || substr(md5('${seed}s' || sid), 1, 17) END,
      path, 'https://shop.example' || path, 'shop.example', referrer,
      CASE WHEN referrer IS NULL THEN NULL WHEN referrer LIKE '%google%' THEN 'google.com' ELSE 't.co' END,
      'Shop ' || path, utm, ['Chrome', 'Safari', 'Firefox'][CAST(1 + hash(uid) % 3 AS BIGINT)], ['macOS', 'Windows', 'iOS', 'Android'][CAST(1 + hash(uid) % 4 AS BIGINT)],
      ['desktop', 'mobile'][CAST(1 + hash(uid) % 2 AS BIGINT)], ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA'][CAST(1 + hash(uid, 1) % 8 AS BIGINT)],
      'en-US', '1920x1080',
      to_json({path: path, url: 'https://shop.example' || path, referrer: referrer, title: 'Shop ' || path, utm_source: utm,
        plan: CASE WHEN event IN ('signup', 'purchase') THEN ['free', 'pro'][CAST(1 + hash(sid) % 2 AS BIGINT)] END,
        value: CASE WHEN event = 'purchase' THEN CAST(hash(sid, k) % 200 AS INTEGER) END})::VARCHAR
    FROM e WHERE ts <= ${now}
    ORDER BY ts) AS g(id, project_id, ts, date, received_at, event, user_id, session_id, path, url, hostname, referrer,
      referrer_domain, title, utm_source, browser, os, device, country, language, screen, properties)`;
}

/** The owner account and the bench project in the meta store. */
async function generateMeta(config: Config, now: number): Promise<void> {
  const meta = await openMetaStore(config);
  const { account } = await bootstrapOwner(config, meta);
  if (!(await meta.getProject(BENCH_PROJECT.id))) {
    await meta.createProject({
      id: BENCH_PROJECT.id, account_id: account.id, name: BENCH_PROJECT.name, project_token: `aat_${'b'.repeat(48)}`,
      allowed_origins: '*', created_at: new Date(now).toISOString(), deleted_at: null, source_scan_id: null,
    });
  }
  await meta.close();
}

/** Fill `config.dataDir` with the owner account, the bench project and `n` events; returns seconds spent. */
export async function generate(config: Config, n: number, seed: number, now = Date.now()): Promise<{ loadSec: number; foldSec: number; rows: number }> {
  await generateMeta(config, now);

  const path = join(config.dataDir, 'events.duckdb');
  const migrated = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
  await migrated.migrate();
  await migrated.close();

  let t = Date.now();
  const instance = await DuckDBInstance.create(path, { threads: '2', memory_limit: '2GB' });
  const conn = await instance.connect();
  await conn.run(insertSql(n, seed, now));
  const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  await conn.run('CHECKPOINT');
  conn.closeSync();
  instance.closeSync();
  const loadSec = (Date.now() - t) / 1000;

  // The production fold builds every rollup (the first read of a fresh process folds what is pending).
  t = Date.now();
  const store = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
  await store.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] });
  await store.close();
  const checkpoint = await DuckDBInstance.create(path);
  const c2 = await checkpoint.connect();
  await c2.run('CHECKPOINT');
  c2.closeSync();
  checkpoint.closeSync();
  return { loadSec, foldSec: (Date.now() - t) / 1000, rows };
}

/**
 * The same shape of data generated inside ClickHouse (INSERT … SELECT over numbers(), cityHash64 instead of
 * DuckDB's hash, so the rows are not identical to the DuckDB dataset, only the distributions match).
 */
function clickhouseInsertSql(n: number, seed: number, now: number): string {
  const sessions = Math.max(1, Math.round(n / 5));
  const users = Math.max(1, Math.round(sessions / 4));
  const h = (expr: string) => `cityHash64(${seed}, ${expr})`;
  const u = (expr: string) => `(${h(expr)} % 1000000) / 1000000.0`;
  const j = (expr: string) => `if(isNull(${expr}), 'null', toJSONString(assumeNotNull(${expr})))`;
  return `INSERT INTO events (id, project_id, ts, date, received_at, event, user_id, session_id, path, url, hostname, referrer,
      referrer_domain, title, utm_source, browser, os, device, country, language, screen, properties)
    WITH s AS (
      SELECT number AS sid, toInt64(${now - 30 * DAY} + ${h('number, 1')} % ${30 * DAY - 3_600_000}) AS st,
        toUInt64(1 + ${h('number, 2')} % 9) AS len, ${h('number, 3')} % ${users} AS uid,
        ${h('number, 4')} % 20 = 0 AS anon,
        [CAST('https://www.google.com/' AS Nullable(String)), 'https://t.co/x', NULL, NULL][1 + ${h('number, 5')} % 4] AS referrer,
        if(${h('number, 6')} % 10 = 0, CAST(['newsletter', 'google', 'twitter'][1 + ${h('number, 7')} % 3] AS Nullable(String)), NULL) AS utm
      FROM numbers(${sessions})
    ), e AS (
      SELECT sid, st, uid, anon, referrer, utm, k, st + toInt64(k) * toInt64(${h('sid, k, 8')} % 120000) AS ts,
        if(k = 0, 'page_view', ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup',
          'purchase', 'search', 'add_to_cart'][1 + ${h('sid, k, 9')} % 10]) AS event,
        concat('/p', toString(toInt32(floor(200 * pow(${u('sid, k, 10')}, 2))))) AS path,
        ${h('sid, k, 11')} % 50 = 0 AS sessionless
      FROM s ARRAY JOIN range(len) AS k
    )
    SELECT concat('01BENCH', leftPad(toString(row_number() OVER (ORDER BY ts, sid, k)), 19, '0')), '${BENCH_PROJECT.id}', ts,
      toDate(toDateTime(intDiv(ts, 1000), 'UTC')), ts, event,
      if(anon, NULL, concat('anon_', substring(lower(hex(MD5(concat('${seed}u', toString(uid))))), 1, 17))),
      if(sessionless, NULL, concat('sess_', substring(lower(hex(MD5(concat('${seed}s', toString(sid))))), 1, 17))),
      path, concat('https://shop.example', path), 'shop.example', referrer,
      multiIf(referrer IS NULL, NULL, referrer LIKE '%google%', 'google.com', 't.co'),
      concat('Shop ', path), utm, ['Chrome', 'Safari', 'Firefox'][1 + cityHash64(uid) % 3], ['macOS', 'Windows', 'iOS', 'Android'][1 + cityHash64(uid) % 4],
      ['desktop', 'mobile'][1 + cityHash64(uid) % 2], ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA'][1 + cityHash64(uid, 1) % 8],
      'en-US', '1920x1080',
      concat('{"path":', toJSONString(path), ',"url":', toJSONString(concat('https://shop.example', path)), ',"referrer":', ${j('referrer')},
        ',"title":', toJSONString(concat('Shop ', path)), ',"utm_source":', ${j('utm')},
        ',"plan":', if(event IN ('signup', 'purchase'), toJSONString(['free', 'pro'][1 + cityHash64(sid) % 2]), 'null'),
        ',"value":', if(event = 'purchase', toString(cityHash64(sid, k) % 200), 'null'), '}')
    FROM e WHERE ts <= ${now}
    ORDER BY ts`;
}

/**
 * ClickHouse variant (AA_EVENTS_URL=chdb:<dir>?database=…): meta as above, events inserted into the on-disk
 * chdb folder the server then opens. chdb is one engine per process, so this runs in its own child process
 * (see the entry point below) and exits before the server starts.
 */
export async function generateClickHouse(config: Config, n: number, seed: number, now = Date.now()): Promise<{ loadSec: number; foldSec: number; rows: number }> {
  const { parseClickHouseUrl, openChdbClient } = await import('../src/store/clickhouse/connect.js');
  const { ClickHouseEventStore } = await import('../src/store/clickhouse/event-store.js');
  await generateMeta(config, now);
  const loc = parseClickHouseUrl(config.eventsUrl!);
  if (loc.chdbPath === null) throw new Error('BENCH_ENGINE=clickhouse generates into chdb only (AA_EVENTS_URL=chdb:<dir>?database=…)');
  const client = await openChdbClient(loc.chdbPath, loc.database);
  const store = new ClickHouseEventStore(client, { database: loc.database, cluster: null, ownsClient: false });
  await store.migrate();
  const t = Date.now();
  await client.command({ query: clickhouseInsertSql(n, seed, now), clickhouse_settings: { max_threads: 2 } });
  await client.command({ query: 'OPTIMIZE TABLE events FINAL' });
  const rs = await client.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' });
  const rows = Number(((await rs.json()) as { n: string }[])[0].n);
  await client.close();
  return { loadSec: (Date.now() - t) / 1000, foldSec: 0, rows };
}

if (process.argv[1]?.endsWith('query-data.ts') && process.argv[2] === 'clickhouse') {
  const { loadConfig } = await import('../src/config.js');
  const res = await generateClickHouse(loadConfig(process.env), Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
  process.send?.(res);
  process.exit(0);
}
