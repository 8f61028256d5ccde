// /breakdown of a JSON-only property key on DuckDB (issue 18): the raw path parses the properties JSON of every
// event in the window; the property-values rollup (store/duckdb/rollups.ts) answers from its rows. Events are
// bulk-loaded by one INSERT … SELECT over range() (seeded hashes, 30 days, ≈ n/20 users, 5 % anonymous, arrival in
// time order) with JSON-only keys beside the promoted ones; the store's own fold builds the rollups. The report
// function the route calls is timed in-process (values and totals queries, as the endpoint runs them).
//
//   npx tsx bench/breakdown-json.ts gen <file> <events>        write the events (not folded); prints seconds
//   npx tsx bench/breakdown-json.ts fold <file> [append]       time the fold of what is pending; with `append`, then
//                                                              append that many events and time their fold; prints JSON
//   npx tsx bench/breakdown-json.ts time <file> <runs> [paths] time each breakdown through the raw path and, in a
//                                                              checkout that has it, the rollup (alternating); prints
//                                                              JSON; `paths`: raw,rollup (default) or one of them
// Run `fold` and `time` from a base checkout's copy of this script against its own copy of the file for old vs new.
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { ReadContext } from '../src/query/run.js';
import { duckdbDialect } from '../src/query/sql/dialects/duckdb.js';
import { breakdownReport } from '../src/reports/breakdown.js';
import { DuckDbEventStore } from '../src/store/duckdb/event-store.js';
import { keyOf } from '../src/store/duckdb/rollups.js';

const DAY = 86_400_000;
/** A fixed "now", so every checkout generates and reads the same rows and windows. */
const NOW = Date.parse('2026-03-09T12:00:00Z');
const PROJECT = { projectId: 'proj_bench', project: 'bench' };

/**
 * Events `first` … `first + n - 1` in time order, sessions of 5 consecutive events of one user (5 % anonymous);
 * JSON-only keys: plan, variant and timezone (4, 2 and 30 values) per user, category (1,000 values) per event,
 * price on purchases.
 */
function insertSql(first: number, n: number, days: number): string {
  const h = (k: number) => `hash(i, ${k})`;
  const s = (k: number) => `hash(i // 5, ${k})`;
  const u = (k: number) => `hash(user_n, ${k})`;
  return `INSERT INTO events (id, project_id, ts, date, received_at, event, user_id, session_id, path, url, title, properties, user_key, session_key)
    SELECT *, ${keyOf('user_id')}, ${keyOf('session_id')} FROM (
      SELECT printf('01PV%022d', i), '${PROJECT.projectId}', ts, CAST(epoch_ms(ts) AS DATE), ts, event, user_id, session_id, path,
        'https://shop.example' || path, 'Shop ' || path,
        to_json({path: path, url: 'https://shop.example' || path, title: 'Shop ' || path, plan: plan, variant: variant,
          timezone: timezone, category: category, price: price})::VARCHAR
      FROM (
        SELECT i, ${NOW - days * DAY} + (i - ${first}) * ${Math.floor((days * DAY) / Math.max(1, n))} AS ts,
          ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup', 'purchase', 'search', 'add_to_cart'][CAST(1 + ${h(1)} % 10 AS BIGINT)] AS event,
          CASE WHEN ${s(2)} % 20 = 0 THEN NULL ELSE 'user_' || CAST(user_n AS VARCHAR) END AS user_id,
          'sess_' || CAST(i // 5 AS VARCHAR) AS session_id,
          '/p' || CAST(${h(4)} % 200 AS VARCHAR) AS path,
          ['free', 'pro', 'team', 'enterprise'][CAST(1 + ${u(5)} % 4 AS BIGINT)] AS plan,
          CASE WHEN ${u(6)} % 2 = 0 THEN 'a' ELSE 'b' END AS variant,
          'tz' || CAST(${u(7)} % 30 AS VARCHAR) AS timezone,
          'cat' || CAST(${h(8)} % 1000 AS VARCHAR) AS category,
          CASE WHEN ${h(1)} % 10 = 7 THEN CAST(${h(9)} % 200 AS INTEGER) END AS price
        FROM (SELECT i, ${s(3)} % ${Math.max(1, Math.round(n / 20))} AS user_n FROM range(${first}, ${first + n}) t(i))))`;
}

/** The breakdowns timed: a small and a large value set, an event filter, a 30-day window. */
const CASES = [
  { name: 'plan, 7d', property: 'plan', event: undefined, since: '7d' },
  { name: 'category (1,000 values), 7d', property: 'category', event: undefined, since: '7d' },
  { name: 'price, event=purchase, 7d', property: 'price', event: 'purchase', since: '7d' },
  { name: 'timezone, 30d', property: 'timezone', event: undefined, since: '30d' },
];

async function open(file: string): Promise<DuckDbEventStore> {
  const store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
  await store.migrate();
  return store;
}

async function gen(file: string, n: number): Promise<void> {
  const store = await open(file);
  const t = performance.now();
  await store.query({ sql: insertSql(0, n, 30), params: [] });
  await store.close();
  console.log(JSON.stringify({ events: n, loadSec: (performance.now() - t) / 1000 }));
}

/** Time the fold a read of a rollup triggers (everything written so far). */
async function timedFold(store: DuckDbEventStore): Promise<number> {
  const t = performance.now();
  await store.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] });
  return (performance.now() - t) / 1000;
}

async function fold(file: string, append: number): Promise<void> {
  let store = await open(file);
  const foldSec = await timedFold(store);
  const [row] = await store.query<{ n: number }>({ sql: 'SELECT count(*) AS n FROM events', params: [] });
  const out: Record<string, unknown> = { events: Number(row.n), foldSec };
  const appendSec: number[] = [];
  for (let round = 0; round < (append > 0 ? 3 : 0); round++) {
    // Later events (the last day), appended as live traffic is: a later seq. A store opens dirty, so its first
    // read folds them.
    await store.query({ sql: insertSql(Number(row.n) + round * append, append, 1), params: [] });
    await store.close();
    store = await open(file);
    appendSec.push(await timedFold(store));
  }
  if (append > 0) Object.assign(out, { append, appendFoldSec: appendSec });
  await store.query({ sql: 'CHECKPOINT', params: [] });
  await store.close();
  out.fileMb = statSync(file).size / 1e6;
  out.load = loadavg()[0];
  console.log(JSON.stringify(out));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: Math.round(pct(s, 50)), p95: Math.round(pct(s, 95)), min: Math.round(s[0]), max: Math.round(s[s.length - 1]), runs: s.length };
};

async function time(file: string, runs: number, only: string[]): Promise<void> {
  const store = await open(file);
  const paths: Record<string, ReadContext> = {};
  if (only.includes('raw')) paths.raw = { store, dialect: { ...duckdbDialect, propertyValues: null }, retentionDays: -1, now: NOW };
  if (only.includes('rollup') && 'propertyValues' in duckdbDialect) paths.rollup = { store, dialect: duckdbDialect, retentionDays: -1, now: NOW };
  const hasRollup = paths.raw !== undefined && paths.rollup !== undefined;
  const out: Record<string, Record<string, unknown>> = {};
  const loads: number[] = [];
  for (const c of CASES) {
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const answers: Record<string, string> = {};
    for (let run = -1; run < runs; run++) {
      // Alternating paths within a run: both see the same load.
      for (const [name, ctx] of Object.entries(paths)) {
        const t = performance.now();
        const r = await breakdownReport(ctx, { ...PROJECT, property: c.property, event: c.event, since: c.since, limit: undefined });
        if (run >= 0) times[name].push(performance.now() - t);
        else answers[name] = JSON.stringify(r);
      }
      loads.push(loadavg()[0]);
    }
    if (hasRollup && answers.raw !== answers.rollup) throw new Error(`${c.name}: the rollup's answer differs from the raw path's`);
    out[c.name] = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)]));
  }
  await store.close();
  console.log(JSON.stringify({ cases: out, load: { min: Math.min(...loads), max: Math.max(...loads) } }));
}

const [mode, file, arg, paths] = process.argv.slice(2);
if (mode === 'gen') await gen(file, Number(arg));
else if (mode === 'fold') await fold(file, Number(arg ?? 0));
else if (mode === 'time') await time(file, Number(arg ?? 7), (paths ?? 'raw,rollup').split(','));
else throw new Error('usage: breakdown-json.ts gen|fold|time <file> [events|append|runs]');
