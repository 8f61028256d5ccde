// `npm run bench:ingest`: /track and /track/batch throughput and latency against the bare node:http
// ceiling, plus freshness (202 → visible in /events) under load. Each run uses an empty data folder;
// servers run as child processes, autocannon and the probes in this process. Prints a Markdown table.
// Knobs: BENCH_RUNS (3), BENCH_DURATION seconds (15), BENCH_CONNECTIONS (50), BENCH_BATCH_CONNECTIONS (16).
// Server CPU per request (all its threads, from /proc) is reported beside throughput: on a shared machine it
// moves far less than requests/s. Mixed load: /track at BENCH_BATCH_CONNECTIONS connections alone, then with
// one GET /stats per second beside it (reads may cost ingestion at most 20 %). BENCH_SOAK_SECONDS (0 = off)
// then runs that mixed load for so long on one server, sampling its RSS every 10 s (memory must stay flat).
// /track is compared with a bare node:http server answering 202; /track/batch with one that also reads
// and JSON.parses the same body, both measured in the same run. BENCH_BASELINE=/path/to/other/checkout
// also loads that checkout's server in each run, right after ours (old and new side by side).
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUs, peakRssMb } from './server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BATCH_CONNECTIONS = Number(process.env.BENCH_BATCH_CONNECTIONS ?? 16);
const KEY = `aak_${'0'.repeat(47)}7`;
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const HEADERS = { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, origin: 'https://shop.example' };

/** What tracker.js sends for a page view (browser, browser_version, os and device are derived by the server). */
function trackerEvent(token: string, i = 0) {
  return {
    token, project: 'bench', event: 'page_view', user_id: `anon_k2j9x8q1lzr4t${i % 50}`, session_id: `sess_p0o9i8u7ylzr4t${i % 200}`, timestamp: Date.now(),
    properties: {
      path: '/pricing', url: 'https://shop.example/pricing?utm_source=newsletter', hostname: 'shop.example', title: 'Pricing — Shop',
      referrer: 'https://www.google.com/', utm_source: 'newsletter', utm_medium: 'email',
      language: 'en-US', screen: '1920x1080', timezone: 'Europe/Berlin', session_count: 3, days_since_first_visit: 12,
    },
  };
}

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

const BASELINE = process.env.BENCH_BASELINE ?? null;

async function start(entry: string, env: Record<string, string>, root = import.meta.dirname): Promise<ChildProcess> {
  const child = fork(join(root, entry), [], { execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await done;
}

interface Load { rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number; cpuUsPerReq: number }

/** Load `url` with `body`; `server` (the process answering) gets its CPU per request measured. */
async function load(url: string, body: string, connections = CONNECTIONS, server?: ChildProcess, duration = DURATION): Promise<Load> {
  const cpu0 = cpuUs(server?.pid);
  const r = await autocannon({ url, method: 'POST', headers: HEADERS, body, connections, duration });
  const cpuUsPerReq = (cpuUs(server?.pid) - cpu0) / r.requests.total;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, total: r.requests.total, cpuUsPerReq };
}

/**
 * Wait (at most 30 s) until the server is nearly idle — below 10 % of a core over half a second — so one
 * phase's tail (the fold of what it acknowledged) is not billed to the next.
 */
async function settle(server: ChildProcess): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < 60; i++) {
    const before = cpuUs(server.pid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuUs(server.pid) - before < 50_000) break;
  }
  return (performance.now() - t0) / 1000;
}

/** One GET /stats (7 days) per second until `untilMs`; their latencies, and how many failed. */
async function statsEverySecond(base: string, untilMs: number): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  while (Date.now() < untilMs) {
    const t0 = performance.now();
    const r = await fetch(`${base}/stats?project=bench&since=7d`, { headers: { 'x-api-key': KEY } });
    await r.arrayBuffer();
    if (r.status === 200) ms.push(performance.now() - t0);
    else failed++;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - t0))));
  }
  return { ms, failed };
}

/** /track at the batch connection count alone, then with one /stats read per second beside it. */
async function mixed(base: string, token: string, server: ChildProcess, duration = DURATION): Promise<{ alone: Load; withReads: Load; stats: { ms: number[]; failed: number } }> {
  const body = JSON.stringify(trackerEvent(token));
  await settle(server);
  const alone = await load(`${base}/track`, body, BATCH_CONNECTIONS, server, duration);
  await settle(server);
  const [withReads, stats] = await Promise.all([
    load(`${base}/track`, body, BATCH_CONNECTIONS, server, duration),
    statsEverySecond(base, Date.now() + (duration - 1) * 1000),
  ]);
  return { alone, withReads, stats };
}

/**
 * Probes during load: a unique event every 60 ms (at most 8 in flight), timed from its 202 until /events
 * returns it, polling every 25 ms. A probe not visible within 10 s counts as a miss. Polling is kept light
 * on purpose: every /events call is a DuckDB query competing with the writer for the same 2 cores.
 */
async function freshness(base: string, token: string, untilMs: number): Promise<{ delays: number[]; misses: number }> {
  const delays: number[] = [];
  let misses = 0;
  let inFlight = 0;
  let i = 0;
  const probe = async (name: string) => {
    inFlight++;
    try {
      const res = await fetch(`${base}/track`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ ...trackerEvent(token), event: name }) });
      if (res.status !== 202) throw new Error(`probe got ${res.status}`);
      const acked = performance.now();
      while (performance.now() - acked < 10_000) {
        const r = await fetch(`${base}/events?project=bench&since=0d&limit=1&event=${name}`, { headers: { 'x-api-key': KEY } });
        if (((await r.json()) as { events?: unknown[] }).events?.length) return void delays.push(performance.now() - acked);
        await new Promise((r) => setTimeout(r, 25));
      }
      misses++;
    } finally {
      inFlight--;
    }
  };
  const all: Promise<unknown>[] = [];
  while (Date.now() < untilMs) {
    if (inFlight < 8) all.push(probe(`probe_${i++}`));
    await new Promise((r) => setTimeout(r, 60));
  }
  await Promise.all(all);
  return { delays, misses };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

interface Run {
  ceiling: Load; batchCeiling: Load; track: Load; trackProbed: Load; batch: Load; fresh: number[]; misses: number; rssMb: number;
  mixed: Awaited<ReturnType<typeof mixed>>;
  /** Seconds until the server was idle after the batch load (its fold tail; 30 s at most). */
  batchTail: number;
  baseline: { track: Load; batch: Load; batchTail: number } | null;
}

/** Peak resident memory of a child so far (VmHWM), in MB. */

const batchBodyOf = (token: string) => JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => trackerEvent(token, i)) });

async function ceilingOf(env: Record<string, string>, body: string, connections: number): Promise<Load> {
  const port = await freePort();
  const server = await start('ingest-ceiling.mjs', { PORT: String(port), ...env });
  try {
    return await load(`http://127.0.0.1:${port}/track`, body, connections);
  } finally {
    await stop(server);
  }
}

/** A server of this checkout (or `root`'s) on an empty data folder, with the bench project created. */
async function benchServer(root?: string): Promise<{ base: string; token: string; child: ChildProcess; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'aa-bench-'));
  const port = await freePort();
  const child = await start('ingest-server.ts', { AA_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0' }, root);
  const base = `http://127.0.0.1:${port}`;
  const created = await fetch(`${base}/projects`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', allowed_origins: 'https://shop.example' }) });
  const { project_token: token } = await created.json() as { project_token: string };
  return {
    base, token, child,
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function baselineRun(): Promise<Run['baseline']> {
  if (!BASELINE) return null;
  const s = await benchServer(join(BASELINE, 'bench'));
  try {
    const track = await load(`${s.base}/track`, JSON.stringify(trackerEvent(s.token)), CONNECTIONS, s.child);
    await settle(s.child);
    const batch = await load(`${s.base}/track/batch`, batchBodyOf(s.token), BATCH_CONNECTIONS, s.child);
    return { track, batch, batchTail: await settle(s.child) };
  } finally {
    await s.close();
  }
}

async function run(): Promise<Run> {
  const ceiling = await ceilingOf({}, JSON.stringify(trackerEvent('aat_x')), CONNECTIONS);
  const batchCeiling = await ceilingOf({ PARSE: '1' }, batchBodyOf('aat_x'), BATCH_CONNECTIONS);
  const baseline = await baselineRun();

  const s = await benchServer();
  const { base, token, child: server } = s;
  try {
    // Throughput alone first, then freshness probes under the same load (each probe polls /events,
    // a DuckDB read competing with the writer, so the probed run is reported separately).
    const track = await load(`${base}/track`, JSON.stringify(trackerEvent(token)), CONNECTIONS, server);
    const [trackProbed, { delays: fresh, misses }] = await Promise.all([
      load(`${base}/track`, JSON.stringify(trackerEvent(token)), CONNECTIONS, server),
      freshness(base, token, Date.now() + (DURATION - 1) * 1000),
    ]);
    await settle(server);
    const batch = await load(`${base}/track/batch`, batchBodyOf(token), BATCH_CONNECTIONS, server);
    // What was acknowledged is stored once the server goes idle: the fold's tail after the load stops.
    const batchTail = await settle(server);
    const mix = await mixed(base, token, server);
    return { ceiling, batchCeiling, track, trackProbed, batch, batchTail, fresh, misses, rssMb: peakRssMb(server.pid!), mixed: mix, baseline };
  } finally {
    await s.close();
  }
}

const LOAD_BEFORE = loadavg().map((x) => x.toFixed(1)).join(' ');
const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  process.stderr.write(`run ${i + 1}/${RUNS}…\n`);
  const r = await run();
  runs.push(r);
  process.stderr.write(`  ceiling ${Math.round(r.ceiling.rps)} req/s; /track ${Math.round(r.track.rps)} req/s p99 ${r.track.p99} ms (probed: ${Math.round(r.trackProbed.rps)} req/s p99 ${r.trackProbed.p99} ms); batch ${Math.round(r.batch.rps * 100)} events/s p99 ${r.batch.p99} ms (ceiling ${Math.round(r.batchCeiling.rps * 100)}); peak RSS ${Math.round(r.rssMb)} MB; freshness p99 ${Math.round(pct(r.fresh, 99))} ms over ${r.fresh.length} probes (${r.misses} missed)${r.baseline ? `; baseline /track ${Math.round(r.baseline.track.rps)} req/s p99 ${r.baseline.track.p99} ms, batch ${Math.round(r.baseline.batch.rps * 100)} events/s p99 ${r.baseline.batch.p99} ms` : ''}\n`);
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const spread = (xs: number[], fmt = f0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${fmt(s[Math.floor(s.length / 2)])} (${fmt(s[0])}–${fmt(s[s.length - 1])})`;
};
const rows: [string, number[], (n: number) => string, string][] = [

  ['ceiling: bare node:http 202, req/s', runs.map((r) => r.ceiling.rps), f0, ''],
  ['/track req/s', runs.map((r) => r.track.rps), f0, ''],
  ['/track ÷ ceiling', runs.map((r) => (100 * r.track.rps) / r.ceiling.rps), (n) => `${n.toFixed(0)} %`, '≥ 60 %'],
  ['/track server CPU per request, µs (all threads)', runs.map((r) => r.track.cpuUsPerReq), f0, ''],
  ['/track p50 latency, ms', runs.map((r) => r.track.p50), f0, ''],
  ['/track p99 latency, ms', runs.map((r) => r.track.p99), f0, '≤ 25 ms'],
  ['/track errors + non-2xx', runs.map((r) => r.track.errors + r.track.non2xx), f0, '0'],
  ['/track req/s while freshness probes poll /events', runs.map((r) => r.trackProbed.rps), f0, ''],
  ['/track p99 latency while probed, ms', runs.map((r) => r.trackProbed.p99), f0, ''],
  [`ceiling: bare node:http reading + JSON.parse of the batch body, events/s (${BATCH_CONNECTIONS} connections)`, runs.map((r) => r.batchCeiling.rps * 100), f0, ''],
  [`/track/batch events/s (100 per request, ${BATCH_CONNECTIONS} connections)`, runs.map((r) => r.batch.rps * 100), f0, '≥ 150,000'],
  ['/track/batch: seconds until stored after the load stops (fold tail)', runs.map((r) => r.batchTail), (n) => n.toFixed(1), ''],
  ['/track/batch events stored per second (acknowledged ÷ (load + tail))', runs.map((r) => (r.batch.total * 100) / (DURATION + r.batchTail)), f0, ''],
  ['/track/batch ÷ its ceiling', runs.map((r) => (100 * r.batch.rps) / r.batchCeiling.rps), (n) => `${n.toFixed(0)} %`, '≥ 33 %'],
  ['/track/batch server CPU per event, µs (all threads)', runs.map((r) => r.batch.cpuUsPerReq / 100), (n) => n.toFixed(1), ''],
  ['/track/batch p99 latency, ms', runs.map((r) => r.batch.p99), f0, '≤ 100 ms'],
  ['/track/batch errors + non-2xx', runs.map((r) => r.batch.errors + r.batch.non2xx), f0, '0'],
  ['freshness p50, ms (202 → in /events)', runs.map((r) => pct(r.fresh, 50)), f0, ''],
  ['freshness p99, ms', runs.map((r) => pct(r.fresh, 99)), f0, '≤ 1,000 ms'],
  ['freshness probes', runs.map((r) => r.fresh.length), f0, '≥ 200'],
  ['freshness probes not visible within 10 s', runs.map((r) => r.misses), f0, '0'],
  [`mixed: /track req/s alone (${BATCH_CONNECTIONS} connections)`, runs.map((r) => r.mixed.alone.rps), f0, ''],
  ['mixed: /track req/s with one /stats per second', runs.map((r) => r.mixed.withReads.rps), f0, ''],
  ['mixed: throughput kept with reads', runs.map((r) => (100 * r.mixed.withReads.rps) / r.mixed.alone.rps), (n) => `${n.toFixed(0)} %`, '≥ 80 %'],
  ['mixed: /track p99 with reads, ms', runs.map((r) => r.mixed.withReads.p99), f0, ''],
  ['mixed: /stats p50, ms', runs.map((r) => pct(r.mixed.stats.ms, 50)), f0, ''],
  ['mixed: /stats p99, ms', runs.map((r) => pct(r.mixed.stats.ms, 99)), f0, ''],
  ['mixed: /stats failed', runs.map((r) => r.mixed.stats.failed), f0, '0'],
  ['server peak RSS, MB', runs.map((r) => r.rssMb), f0, ''],
];
if (BASELINE) {
  const b = (f: (r: Run) => number) => runs.map((r) => (r.baseline ? f(r) : NaN));
  rows.push(
    [`baseline (${BASELINE}) /track req/s`, b((r) => r.baseline!.track.rps), f0, ''],
    ['baseline /track ÷ ceiling', b((r) => (100 * r.baseline!.track.rps) / r.ceiling.rps), (n) => `${n.toFixed(0)} %`, ''],
    ['baseline /track p99 latency, ms', b((r) => r.baseline!.track.p99), f0, ''],
    ['baseline /track server CPU per request, µs', b((r) => r.baseline!.track.cpuUsPerReq), f0, ''],
    ['baseline /track/batch server CPU per event, µs', b((r) => r.baseline!.batch.cpuUsPerReq / 100), (n) => n.toFixed(1), ''],
    ['baseline /track/batch events/s', b((r) => r.baseline!.batch.rps * 100), f0, ''],
    ['baseline /track/batch events stored per second (acknowledged ÷ (load + tail))', b((r) => (r.baseline!.batch.total * 100) / (DURATION + r.baseline!.batchTail)), f0, ''],
    ['baseline /track/batch ÷ its ceiling', b((r) => (100 * r.baseline!.batch.rps) / r.batchCeiling.rps), (n) => `${n.toFixed(0)} %`, ''],
    ['baseline /track/batch p99 latency, ms', b((r) => r.baseline!.batch.p99), f0, ''],
  );
}
if (RUNS > 0) printRuns();

function printRuns(): void {
  console.log(`\n${RUNS} runs × ${DURATION} s, ${CONNECTIONS} connections (batch: ${BATCH_CONNECTIONS}); median (min–max); load average before: ${LOAD_BEFORE}\n`);
  console.log('| measure | result | target |\n| --- | --- | --- |');
  for (const [name, xs, fmt, target] of rows) console.log(`| ${name} | ${spread(xs, fmt)} | ${target} |`);
  console.log('\nper run:', JSON.stringify(runs.map((r) => ({ ceiling: r.ceiling, batchCeiling: r.batchCeiling, baseline: r.baseline, rssMb: Math.round(r.rssMb), track: r.track, trackProbed: r.trackProbed, batch: r.batch, mixed: { alone: r.mixed.alone, withReads: r.mixed.withReads, statsFailed: r.mixed.stats.failed }, fresh: { n: r.fresh.length, misses: r.misses, p50: pct(r.fresh, 50), p99: pct(r.fresh, 99) } }))));
}

/** Current resident memory of a child (VmRSS), in MB. */
function rssMb(child: ChildProcess): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The mixed load for `seconds` on one server, its RSS sampled every 10 s: does memory stay flat? */
async function soak(seconds: number): Promise<void> {
  const s = await benchServer();
  const samples: { s: number; mb: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(() => samples.push({ s: Math.round((Date.now() - t0) / 1000), mb: Math.round(rssMb(s.child)) }), 10_000);
  try {
    process.stderr.write(`soak: ${seconds} s of /track (${BATCH_CONNECTIONS} connections) with one /stats per second…\n`);
    const [track, stats] = await Promise.all([
      load(`${s.base}/track`, JSON.stringify(trackerEvent(s.token)), BATCH_CONNECTIONS, s.child, seconds),
      statsEverySecond(s.base, Date.now() + (seconds - 1) * 1000),
    ]);
    clearInterval(sampler);
    // A soak shorter than 3 minutes has no separate second and last minute: all samples stand for both.
    const minute = (from: number, to: number) => (seconds >= 180 ? samples.filter((x) => x.s > from && x.s <= to) : samples).map((x) => x.mb);
    const first = minute(60, 120);
    const last = minute(seconds - 60, seconds);
    console.log(`\nsoak ${seconds} s, load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log('| measure | result |\n| --- | --- |');
    console.log(`| /track req/s, p50 / p99 ms | ${f0(track.rps)}, ${track.p50} / ${track.p99} |`);
    console.log(`| /track errors + non-2xx, of requests | ${f0(track.errors + track.non2xx)} of ${f0(track.total)} |`);
    console.log(`| /stats p50 / p99 ms, failed | ${f0(pct(stats.ms, 50))} / ${f0(pct(stats.ms, 99))}, ${stats.failed} |`);
    console.log(`| RSS in minute 2, min–max MB | ${Math.min(...first)}–${Math.max(...first)} |`);
    console.log(`| RSS in the last minute, min–max MB | ${Math.min(...last)}–${Math.max(...last)} |`);
    console.log(`| peak RSS, MB | ${f0(peakRssMb(s.child.pid!))} |`);
    console.log('\nRSS samples (s: MB):', samples.map((x) => `${x.s}: ${x.mb}`).join(', '));
  } finally {
    clearInterval(sampler);
    await s.close();
  }
}

const SOAK = Number(process.env.BENCH_SOAK_SECONDS ?? 0);
if (SOAK > 0) await soak(SOAK);
