// The DuckDB rollup fold as a store grows under traffic that arrives out of time order (issue 18): events are
// appended in batches the way the ingest journal's fold writes them — each batch mixes days, users and sessions,
// and a session's events arrive spread over many batches — and after each batch the rollup fold a read triggers
// is timed. Prints the fold's cost per event for every `step` events stored, so a fold whose cost grows with the
// tables (an index, a scan) shows as a rising line.
//
//   npx tsx bench/rollup-fold.ts [events=2000000] [batch=20000] [step=250000]
//
// Run its copy in a base checkout for old vs new (the file is a temp file, removed at the end).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEventStore } from '../src/store/duckdb/event-store.js';
import { keyOf } from '../src/store/duckdb/rollups.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-09T12:00:00Z');

/**
 * Events first … first + n − 1: each drawn into one of `sessions` sessions at random (mean 2.9 events), a session
 * on one user of a pool of `sessions` / 7 (≈ 5 % of the events distinct users), starting anywhere in 30 days; its
 * events within 4 minutes of its start. Tracker-like columns and JSON keys (plan, variant, price).
 */
function insertSql(first: number, n: number, sessions: number): string {
  const h = (k: number) => `hash(i, ${k})`;
  const s = (k: number) => `hash(sess, ${k})`;
  const users = Math.max(1, Math.round(sessions / 7));
  return `INSERT INTO events (id, project_id, ts, date, received_at, event, user_id, session_id, path, url, title, properties, user_key, session_key)
    SELECT *, ${keyOf('user_id')}, ${keyOf('session_id')} FROM (
      SELECT printf('01RF%022d', i), 'proj_' || (sess % 4)::VARCHAR, ts, CAST(epoch_ms(ts) AS DATE), ts, event, user_id,
        's' || sess::VARCHAR AS session_id, path, 'https://shop.example' || path, 'Shop ' || path,
        to_json({path: path, plan: ['free', 'pro', 'team'][CAST(1 + ${s(5)} % 3 AS BIGINT)], variant: CASE WHEN ${s(6)} % 2 = 0 THEN 'a' ELSE 'b' END,
          price: CASE WHEN event = 'purchase' THEN CAST(${h(9)} % 200 AS INTEGER) END})::VARCHAR
      FROM (
        SELECT i, sess, ${NOW - 30 * DAY} + CAST(${s(1)} % ${30 * DAY} AS BIGINT) + CAST(${h(2)} % 240000 AS BIGINT) AS ts,
          ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup', 'purchase', 'search', 'add_to_cart'][CAST(1 + ${h(3)} % 10 AS BIGINT)] AS event,
          CASE WHEN ${s(4)} % 3 = 0 THEN NULL ELSE 'user_' || CAST(${s(7)} % ${users} AS VARCHAR) END AS user_id,
          '/p' || CAST(${h(8)} % 200 AS VARCHAR) AS path
        FROM (SELECT i, hash(i, 11) % ${sessions} AS sess FROM range(${first}, ${first + n}) t(i))))`;
}

async function main(): Promise<void> {
  const [events = 2_000_000, batch = 20_000, step = 250_000] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'aa-rollup-fold-'));
  const file = join(dir, 'events.duckdb');
  const store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
  await store.migrate();
  if (process.env.BENCH_CHECKPOINT) await store.query({ sql: `SET GLOBAL checkpoint_threshold = '${process.env.BENCH_CHECKPOINT}'`, params: [] });
  const sessions = Math.round(events / 2.9);
  // Each fold statement timed (by its first words), summed over the run: the profile of the fold.
  const bySql = new Map<string, number>();
  const writer = (store as unknown as { rollups: { writer: { run(sql: string, params?: unknown[]): Promise<void> } } }).rollups.writer;
  const run = writer.run.bind(writer);
  writer.run = async (sql, params) => {
    const t = performance.now();
    await run(sql, params);
    const name = sql.replace(/\s+/g, ' ').slice(0, 60);
    bySql.set(name, (bySql.get(name) ?? 0) + performance.now() - t);
  };
  let foldMs = 0;
  let insertMs = 0;
  let since = 0;
  const t0 = performance.now();
  for (let first = 0; first < events; first += batch) {
    const n = Math.min(batch, events - first);
    let t = performance.now();
    await store.query({ sql: insertSql(first, n, sessions), params: [] });
    insertMs += performance.now() - t;
    // The store marks itself dirty on its own writes only; a raw INSERT goes through query(), so name a
    // rollup after telling it: the fold is what the read of a rollup waits for.
    (store as unknown as { rollups: { markDirty(): void } }).rollups.markDirty();
    t = performance.now();
    await store.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] });
    foldMs += performance.now() - t;
    since += n;
    if (since >= step || first + n >= events) {
      console.log(JSON.stringify({
        stored: first + n, foldUsPerEvent: Math.round((foldMs * 1000) / since), insertUsPerEvent: Math.round((insertMs * 1000) / since),
        rssMb: Math.round(process.memoryUsage().rss / 1e6), load: Number(loadavg()[0].toFixed(1)),
      }));
      foldMs = 0; insertMs = 0; since = 0;
    }
  }
  await store.query({ sql: 'CHECKPOINT', params: [] });
  const counts = await store.query({ sql: `SELECT (SELECT count(*) FROM session_rollup) AS sessions, (SELECT count(*) FROM rollup_user_hours) AS user_hours,
    (SELECT count(*) FROM rollup_users) AS users, (SELECT count(*) FROM rollup_user_events) AS user_events`, params: [] });
  await store.close();
  console.log(JSON.stringify({ totalSec: Math.round((performance.now() - t0) / 1000), fileMb: Math.round(statSync(file).size / 1e6),
    ...Object.fromEntries(Object.entries(counts[0]).map(([k, v]) => [k, Number(v)])) }));
  rmSync(dir, { recursive: true, force: true });
  for (const [sql, ms] of [...bySql].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(ms / 1000).toFixed(1).padStart(7)} s  ${sql}`);
}

await main();
