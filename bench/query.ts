// `npm run bench:query`: every analytics endpoint over HTTP against the real server (a child process), in two
// workloads, each on DuckDB and on ClickHouse (chdb inside the server process):
// - `http` (bench/http-workload.ts): BENCH_EVENTS (10,000,000) tracker-like events over 4 projects of different
//   sizes, sent through POST /track/batch (100 per request, BENCH_CONNECTIONS (8) connections) in shuffled
//   arrival order, high-cardinality users, JSON-only property keys; then every report timed on the largest
//   project, cycling through varied parameters (breakdowns and filters on JSON-only keys included).
// - `generated` (bench/query-data.ts): the bulk-loaded dataset of 1 M and 10 M events in one project over 30 days
//   (BENCH_SIZES), default parameters only.
// Warm-up requests untimed, then BENCH_RUNS (20) timed requests per endpoint, one at a time; prints p50/p95 per
// endpoint, the ratio to its target and the server's peak RSS as Markdown tables. Knobs: BENCH_WORKLOAD
// (http|generated|both, default both), BENCH_ENGINE (duckdb|clickhouse|both, default both), BENCH_EVENTS,
// BENCH_CONNECTIONS, BENCH_SIZES, BENCH_RUNS, BENCH_SEED (42), BENCH_DIR, BENCH_KEEP=1.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { runHttpWorkload, type WorkloadResult } from './http-workload.js';
import { BENCH_PROJECT, generate } from './query-data.js';
import { freePort, pct, peakRssMb, startServer, stopServer } from './server.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const ROOT = process.env.BENCH_DIR ?? join(tmpdir(), 'aa-bench-query');
const KEY = `aak_${'0'.repeat(47)}9`;
const P = BENCH_PROJECT.name;
type Engine = 'duckdb' | 'clickhouse';
const ENGINE_ARG = process.env.BENCH_ENGINE ?? 'both';
if (!['duckdb', 'clickhouse', 'both'].includes(ENGINE_ARG)) throw new Error(`BENCH_ENGINE must be duckdb, clickhouse or both, not "${ENGINE_ARG}"`);
const ENGINES: Engine[] = ENGINE_ARG === 'both' ? ['duckdb', 'clickhouse'] : [ENGINE_ARG as Engine];
const WORKLOAD = process.env.BENCH_WORKLOAD ?? 'both';
if (!['http', 'generated', 'both'].includes(WORKLOAD)) throw new Error(`BENCH_WORKLOAD must be http, generated or both, not "${WORKLOAD}"`);
const HTTP_EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
/** HTTP workload: read a folder a BENCH_KEEP run loaded (same BENCH_DIR, engine, events and seed) instead of loading. */
const REUSE = process.env.BENCH_REUSE === '1';
/** HTTP workload: after the reads, wait for the server to fall idle (DuckDB's layout step, ClickHouse merges) and read again. */
const SETTLE = process.env.BENCH_SETTLE === '1';
const RSS_TARGET_MB = 1536;

/** chdb is one engine per process: generate in a child that exits, so the server can open the folder. */
async function generateInChild(env: Record<string, string>, n: number): Promise<{ loadSec: number; foldSec: number; rows: number }> {
  const child = fork(join(import.meta.dirname, 'query-data.ts'), ['clickhouse', String(n), String(SEED), String(Date.now())], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as { loadSec: number; foldSec: number; rows: number }));
    child.once('exit', (code) => reject(new Error(`generator exited with ${code}`)));
  });
}

/** Endpoint, request, target p95 (ms). Default parameters; breakdown needs a property, funnel its steps. */
const ENDPOINTS: { name: string; method: 'GET' | 'POST'; path: string; body?: unknown; target: number }[] = [
  { name: 'GET /stats', method: 'GET', path: `/stats?project=${P}`, target: 150 },
  { name: 'GET /events', method: 'GET', path: `/events?project=${P}`, target: 150 },
  { name: 'GET /properties', method: 'GET', path: `/properties?project=${P}`, target: 150 },
  { name: 'GET /breakdown?property=path', method: 'GET', path: `/breakdown?project=${P}&property=path`, target: 150 },
  { name: 'GET /pages', method: 'GET', path: `/pages?project=${P}`, target: 150 },
  { name: 'GET /heatmap', method: 'GET', path: `/heatmap?project=${P}`, target: 150 },
  { name: 'GET /insights', method: 'GET', path: `/insights?project=${P}`, target: 150 },
  { name: 'POST /query', method: 'POST', path: '/query', body: { project: P }, target: 150 },
  { name: 'GET /sessions', method: 'GET', path: `/sessions?project=${P}`, target: 400 },
  { name: 'GET /sessions/distribution', method: 'GET', path: `/sessions/distribution?project=${P}`, target: 400 },
  { name: 'POST /funnel (page_view → signup → purchase)', method: 'POST', path: '/funnel', body: { project: P, steps: [{ event: 'page_view' }, { event: 'signup' }, { event: 'purchase' }] }, target: 400 },
  { name: 'GET /retention', method: 'GET', path: `/retention?project=${P}`, target: 400 },
];


async function timeEndpoint(base: string, e: (typeof ENDPOINTS)[number]): Promise<{ p50: number; p95: number }> {
  const once = async () => {
    const t = performance.now();
    const res = await fetch(base + e.path, {
      method: e.method,
      headers: { 'x-api-key': KEY, ...(e.body ? { 'content-type': 'application/json' } : {}) },
      body: e.body ? JSON.stringify(e.body) : undefined,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${e.name}: ${res.status} ${text.slice(0, 200)}`);
    return performance.now() - t;
  };
  await once();
  await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p95: pct(times, 95) };
}

interface GeneratedResult { rows: number; loadSec: number; foldSec: number; rss: number; timings: Map<string, { p50: number; p95: number }> }

/** The generated workload on one engine: per size, bulk-load, start the server, time every endpoint. */
async function runGenerated(engine: Engine): Promise<Record<number, GeneratedResult>> {
  const results: Record<number, GeneratedResult> = {};
  for (const size of SIZES) {
    const dir = join(ROOT, `${engine}-${size}-${SEED}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const env: Record<string, string> = { AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1' };
    if (engine === 'clickhouse') env.AA_EVENTS_URL = `chdb:${join(dir, 'clickhouse')}?database=bench`;
    process.stderr.write(`generated workload: ${size} events (${engine}) in ${dir} …\n`);
    const gen = engine === 'clickhouse' ? await generateInChild(env, size) : await generate(loadConfig(env), size, SEED);
    process.stderr.write(`  loaded ${gen.rows} rows in ${gen.loadSec}s, rollups folded in ${gen.foldSec}s\n`);
    const port = await freePort();
    const server = await startServer({ ...env, PORT: String(port) });
    const timings = new Map<string, { p50: number; p95: number }>();
    try {
      for (const e of ENDPOINTS) {
        const t = await timeEndpoint(`http://127.0.0.1:${port}`, e);
        timings.set(e.name, t);
        process.stderr.write(`  ${e.name}: p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms\n`);
      }
      results[size] = { ...gen, rss: peakRssMb(server.pid!), timings };
    } finally {
      await stopServer(server);
    }
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const fmt = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function generatedTable(engine: Engine, results: Record<number, GeneratedResult>): string[] {
  const head = ['endpoint', 'target p95', ...SIZES.map((s) => `${fmt(s)}: p50 / p95 (ms)`)];
  const lines = [`Generated workload (bulk-loaded, one project), ${engine}:`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const e of ENDPOINTS) {
    const cells = SIZES.map((s) => {
      const t = results[s].timings.get(e.name)!;
      return `${t.p50.toFixed(0)} / ${t.p95.toFixed(0)}${t.p95 > e.target ? ' ✗' : ''}`;
    });
    lines.push(`| ${e.name} | ≤ ${e.target} | ${cells.join(' | ')} |`);
  }
  lines.push(`| server peak RSS (MB) | ≤ ${RSS_TARGET_MB} | ${SIZES.map((s) => String(results[s].rss)).join(' | ')} |`);
  lines.push(`| bulk load / rollup fold (s) | — | ${SIZES.map((s) => `${results[s].loadSec} / ${results[s].foldSec}`).join(' | ')} |`);
  return lines;
}

function httpTable(results: WorkloadResult[]): string[] {
  const r0 = results[0];
  const head = ['endpoint (project `shop`)', 'target p95 (ms)', ...results.flatMap((r) => [`${r.engine}: p50 / p95 (ms)`, 'p95 ÷ target'])];
  const lines = [
    `HTTP workload: ${int(r0.accepted)} events through POST /track/batch; projects ${r0.projects.map((p) => `${p.name} ${int(p.events)} events / ${int(p.users)} users`).join(', ')}; ${int(r0.sessions)} sessions.`,
    '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`,
  ];
  for (const [i, e] of r0.timings.entries()) {
    const cells = results.flatMap((r) => {
      const t = r.timings[i];
      const failed = t.failed ? ` (${t.failed} failed ✗)` : '';
      return [`${t.p50.toFixed(0)} / ${t.p95.toFixed(0)}${t.p95 > t.target ? ' ✗' : ''}${failed}`, (t.p95 / t.target).toFixed(2)];
    });
    lines.push(`| ${e.name} | ≤ ${e.target} | ${cells.join(' | ')} |`);
  }
  const row = (name: string, target: string, f: (r: WorkloadResult) => [string, string]) => lines.push(`| ${name} | ${target} | ${results.flatMap(f).join(' | ')} |`);
  row('server peak RSS (MB)', `≤ ${RSS_TARGET_MB}`, (r) => [String(r.rssPeakMb), (r.rssPeakMb / RSS_TARGET_MB).toFixed(2)]);
  row('server peak RSS by the end of loading (MB)', '—', (r) => [String(r.rssAfterLoadMb), '']);
  row('HTTP load: seconds / events per s', '—', (r) => [`${r.loadSec.toFixed(0)} s / ${int(r.accepted / r.loadSec)}`, '']);
  row('last 202 → all visible in /stats (s)', '—', (r) => [r.visibleSec.toFixed(1), '']);
  row('batches retried (429/503)', '—', (r) => [String(r.retries), '']);
  row('load average (1 min) during load / reads', '—', (r) => [`${r.loadAvgDuringLoad.toFixed(1)} / ${r.loadAvgDuringReads.toFixed(1)}`, '']);
  for (const r of results) for (const t of r.timings) if (t.firstError) lines.push('', `${r.engine}, ${t.name}: ${t.failed} failed requests; first: ${t.firstError}`);
  return lines;
}

async function main() {
  const load0 = loadavg().map((x) => x.toFixed(1)).join(' ');
  const out: string[] = [];
  if (WORKLOAD !== 'generated') {
    const results: WorkloadResult[] = [];
    for (const engine of ENGINES) {
      process.stderr.write(`HTTP workload: ${HTTP_EVENTS} events (${engine}), ${CONNECTIONS} connections …\n`);
      const dir = join(ROOT, `http-${engine}-${HTTP_EVENTS}-${SEED}`);
      const r = await runHttpWorkload({
        engine, events: HTTP_EVENTS, runs: RUNS, seed: SEED, connections: CONNECTIONS, dir, reuse: REUSE, settle: SETTLE, log: (l) => process.stderr.write(`${l}\n`),
      });
      results.push(r);
      // The settled pass as a column of its own.
      if (r.settled) results.push({ ...r, engine: `${engine}, idle ${r.settled.afterSec.toFixed(0)} s later`, timings: r.settled.timings, loadAvgDuringReads: r.settled.loadAvgDuringReads });
      writeFileSync(join(tmpdir(), 'aa-bench-query-http-last.json'), JSON.stringify(results, null, 1)); // each engine as it ends
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    }
    out.push(...httpTable(results), '');
    writeFileSync(join(tmpdir(), 'aa-bench-query-http-last.json'), JSON.stringify(results, null, 1));
  }
  if (WORKLOAD !== 'http') {
    for (const engine of ENGINES) out.push(...generatedTable(engine, await runGenerated(engine)), '');
  }
  out.push(`${RUNS} timed requests per endpoint after the warm-ups, one at a time; seed ${SEED}; load average (1/5/15 min) ${load0} at the start, ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.`);
  process.stdout.write(`\n${out.join('\n')}\n`);
  if (existsSync(ROOT) && !process.env.BENCH_KEEP) rmSync(ROOT, { recursive: true, force: true });
  writeFileSync(join(tmpdir(), 'aa-bench-query-last.md'), out.join('\n'));
}

await main();
