// Deterministic benchmark data for `npm run bench:query`: N events of one project over the last 30 days,
// bulk-loaded with one DuckDB INSERT … SELECT over range() (seeded hash expressions, no HTTP), into a data
// folder the real server then opens. The store's own fold builds the rollups, as in production.
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { bootstrapOwner } from '../src/accounts/accounts.js';
import type { Config } from '../src/config.js';
import { openMetaStore } from '../src/store/create-stores.js';
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

/** Fill `config.dataDir` with the owner account, the bench project and `n` events; returns seconds spent. */
export async function generate(config: Config, n: number, seed: number, now = Date.now()): Promise<{ loadSec: number; foldSec: number; rows: number }> {
  const meta = await openMetaStore(config);
  const { account } = await bootstrapOwner(config, meta);
  if (!(await meta.getProject(BENCH_PROJECT.id))) {
    await meta.createProject({
      id: BENCH_PROJECT.id, account_id: account.id, name: BENCH_PROJECT.name, project_token: `aat_${'b'.repeat(48)}`,
      allowed_origins: '*', created_at: new Date(now).toISOString(), deleted_at: null, source_scan_id: null,
    });
  }
  await meta.close();

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
