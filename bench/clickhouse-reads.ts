// `npx tsx bench/clickhouse-reads.ts`: the slow ClickHouse reports timed in-process, statement by statement.
// Generates BENCH_EVENTS (300000) events with bench/query-data.ts's ClickHouse generator into an on-disk chdb
// folder (reused when BENCH_DIR already holds one), then calls the report functions the routes call, each
// BENCH_RUNS (5) times after one warm-up, and prints the median per report and per SQL statement (so the
// expensive statement of a report stands out). The answers are written to BENCH_ANSWERS (JSON) when set, or
// compared with that file when it exists: a speed-up that changes an answer fails loudly. Default windows are
// those of the routes (7 days for stats, pages and sessions); the `30d` rows read the whole dataset.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { readContext } from '../src/query/run.js';
import { funnelReport } from '../src/reports/funnel.js';
import { insightsReport } from '../src/reports/insights.js';
import { pagesReport } from '../src/reports/pages.js';
import { retentionReport } from '../src/reports/retention.js';
import { distributionReport, sessionsReport } from '../src/reports/sessions.js';
import { statsReport } from '../src/reports/stats.js';
import { breakdownReport } from '../src/reports/breakdown.js';
import { heatmapReport } from '../src/reports/heatmap.js';
import { openChdbClient } from '../src/store/clickhouse/connect.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/event-store.js';
import type { CompiledSql } from '../src/store/ports.js';
import { BENCH_PROJECT, generateClickHouse } from './query-data.js';

const N = Number(process.env.BENCH_EVENTS ?? 300_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), `aa-ch-reads-${N}`);
const ANSWERS = process.env.BENCH_ANSWERS;
const ONLY = process.env.BENCH_ONLY?.split(',');
const NOW_FILE = join(DIR, 'now.txt');

const env = { AA_DATA_DIR: DIR, AA_BOOTSTRAP_API_KEY: `aak_${'0'.repeat(47)}9`, AA_LOG_LEVEL: 'warn', AA_EVENTS_URL: `chdb:${join(DIR, 'clickhouse')}?database=bench` };
if (!existsSync(NOW_FILE)) {
  mkdirSync(DIR, { recursive: true });
  const now = Date.now();
  const g = await generateClickHouse(loadConfig(env), N, 42, now);
  writeFileSync(NOW_FILE, String(now));
  process.stderr.write(`generated ${g.rows} events in ${g.loadSec}s into ${DIR}\n`);
}
const NOW = Number(readFileSync(NOW_FILE, 'utf8'));

const client = await openChdbClient(join(DIR, 'clickhouse'), 'bench');
const inner = new ClickHouseEventStore(client, { database: 'bench', cluster: null });
let log: { sql: string; ms: number; params: unknown[] }[] = [];
const dumped: Record<string, unknown> = {};
const store = Object.assign(Object.create(inner) as ClickHouseEventStore, {
  async query<T>(q: CompiledSql): Promise<T[]> {
    const t = performance.now();
    const rows = await inner.query<T>(q);
    log.push({ sql: q.sql, ms: performance.now() - t, params: q.params });
    return rows;
  },
});
const ctx = () => readContext(store, -1, NOW);
const p = { projectId: BENCH_PROJECT.id, project: BENCH_PROJECT.name };

const REPORTS: Record<string, () => Promise<unknown>> = {
  stats: () => statsReport(ctx(), { ...p, since: undefined, groupBy: 'day' }),
  'stats 30d': () => statsReport(ctx(), { ...p, since: '30d', groupBy: 'day' }),
  'breakdown path': () => breakdownReport(ctx(), { ...p, property: 'path', event: undefined, since: undefined, limit: undefined }),
  'breakdown plan': () => breakdownReport(ctx(), { ...p, property: 'plan', event: undefined, since: undefined, limit: undefined }),
  'pages entry': () => pagesReport(ctx(), { ...p, type: 'entry', since: undefined, limit: undefined }),
  'pages entry 30d': () => pagesReport(ctx(), { ...p, type: 'entry', since: '30d', limit: undefined }),
  sessions: () => sessionsReport(ctx(), { ...p, since: undefined, limit: undefined, user_id: undefined, is_bounce: undefined }),
  'sessions 30d': () => sessionsReport(ctx(), { ...p, since: '30d', limit: undefined, user_id: undefined, is_bounce: undefined }),
  'sessions distribution': () => distributionReport(ctx(), { ...p, since: undefined }),
  heatmap: () => heatmapReport(ctx(), { ...p, since: undefined }),
  insights: () => insightsReport(ctx(), { ...p, period: '7d' }),
  funnel: () => funnelReport(ctx(), { ...p, body: { project: p.project, steps: [{ event: 'page_view' }, { event: 'signup' }, { event: 'purchase' }] } }),
  retention: () => retentionReport(ctx(), { ...p, period: 'week', cohorts: undefined, event: undefined, returning_event: undefined }),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const answers: Record<string, unknown> = {};
const lines: string[] = [];
for (const [name, run] of Object.entries(REPORTS)) {
  if (ONLY && !ONLY.includes(name)) continue;
  answers[name] = await run(); // warm-up
  const totals: number[] = [];
  const perSql = new Map<string, number[]>();
  for (let i = 0; i < RUNS; i++) {
    log = [];
    const t = performance.now();
    await run();
    totals.push(performance.now() - t);
    log.forEach((l, j) => perSql.set(`#${j + 1} ${l.sql.replace(/\s+/g, ' ').slice(0, 110)}`, [...(perSql.get(`#${j + 1} ${l.sql.replace(/\s+/g, ' ').slice(0, 110)}`) ?? []), l.ms]));
  }
  dumped[name] = log.map((l) => ({ sql: l.sql, params: l.params }));
  lines.push(`| ${name} | ${median(totals).toFixed(0)} |`);
  process.stderr.write(`${name}: median ${median(totals).toFixed(0)} ms of ${RUNS} (${totals.map((x) => x.toFixed(0)).join(', ')})\n`);
  for (const [sql, ms] of perSql) process.stderr.write(`    ${median(ms).toFixed(0).padStart(6)} ms  ${sql}\n`);
}
process.stdout.write(`\n| report | ClickHouse (chdb) ms, median of ${RUNS} |\n| --- | --- |\n${lines.join('\n')}\n\nload average ${loadavg().map((x) => x.toFixed(2)).join(' / ')}\n`);

if (ANSWERS) {
  const text = JSON.stringify(answers, null, 1);
  if (!existsSync(ANSWERS)) writeFileSync(ANSWERS, text);
  else {
    const before = JSON.parse(readFileSync(ANSWERS, 'utf8')) as Record<string, unknown>;
    const diff = Object.keys(answers).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(answers[k]));
    if (diff.length) {
      process.stderr.write(`ANSWERS DIFFER from ${ANSWERS}: ${diff.join(', ')}\n`);
      process.exitCode = 1;
    } else process.stderr.write(`answers identical to ${ANSWERS}\n`);
  }
}
if (process.env.BENCH_SQL) writeFileSync(process.env.BENCH_SQL, JSON.stringify(dumped, null, 1));
await inner.close();
