// `npm run bench:query`: every analytics endpoint over HTTP against the real server (a child process) on a
// deterministic dataset of 1 M and 10 M events in one project over 30 days. Warm (2 untimed runs), then
// BENCH_RUNS (20) timed runs each, one request at a time; prints p50/p95 per endpoint and the server's peak
// RSS as a Markdown table. Knobs: BENCH_SIZES (1000000,10000000), BENCH_RUNS, BENCH_SEED (42), BENCH_DIR,
// BENCH_ENGINE (duckdb; `clickhouse` generates into an on-disk chdb folder the server opens in-process).
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { BENCH_PROJECT, generate } from './query-data.js';
import { freePort, pct, peakRssMb, startServer, stopServer } from './server.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const ROOT = process.env.BENCH_DIR ?? join(tmpdir(), 'aa-bench-query');
const KEY = `aak_${'0'.repeat(47)}9`;
const P = BENCH_PROJECT.name;
const ENGINE = process.env.BENCH_ENGINE ?? 'duckdb';
if (ENGINE !== 'duckdb' && ENGINE !== 'clickhouse') throw new Error(`BENCH_ENGINE must be duckdb or clickhouse, not "${ENGINE}"`);

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

async function main() {
  const results: Record<number, { rows: number; loadSec: number; foldSec: number; rss: number; timings: Map<string, { p50: number; p95: number }> }> = {};
  for (const size of SIZES) {
    const dir = join(ROOT, `${size}-${SEED}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const env: Record<string, string> = { AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1' };
    if (ENGINE === 'clickhouse') env.AA_EVENTS_URL = `chdb:${join(dir, 'clickhouse')}?database=bench`;
    process.stderr.write(`generating ${size} events (${ENGINE}) in ${dir} …\n`);
    const gen = ENGINE === 'clickhouse' ? await generateInChild(env, size) : await generate(loadConfig(env), size, SEED);
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

  const fmt = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`);
  const head = ['endpoint', 'target p95', ...SIZES.map((s) => `${fmt(s)}: p50 / p95 (ms)`)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const e of ENDPOINTS) {
    const cells = SIZES.map((s) => {
      const t = results[s].timings.get(e.name)!;
      return `${t.p50.toFixed(0)} / ${t.p95.toFixed(0)}${t.p95 > e.target ? ' ✗' : ''}`;
    });
    lines.push(`| ${e.name} | ≤ ${e.target} | ${cells.join(' | ')} |`);
  }
  lines.push(`| server peak RSS (MB) | ≤ 1536 | ${SIZES.map((s) => String(results[s].rss)).join(' | ')} |`);
  lines.push(`| bulk load / rollup fold (s) | — | ${SIZES.map((s) => `${results[s].loadSec} / ${results[s].foldSec}`).join(' | ')} |`);
  process.stdout.write(`\n${lines.join('\n')}\n\n${RUNS} timed runs per endpoint after 2 warm-ups, one request at a time; seed ${SEED}${ENGINE === 'duckdb' ? '' : `; engine ${ENGINE}`}.\n`);
  if (existsSync(ROOT) && !process.env.BENCH_KEEP) rmSync(ROOT, { recursive: true, force: true });
  writeFileSync(join(tmpdir(), 'aa-bench-query-last.md'), lines.join('\n'));
}

await main();
