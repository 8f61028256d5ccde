// `npm run bench:dashboard`: how fast the dashboard's overview is on a big dataset. The deterministic events
// of bench:query (bench/query-data.ts: one project, 30 days, bulk-loaded straight into DuckDB, no HTTP) in a data
// folder; the real server as a child process; headless Chromium (playwright-core, /usr/bin/chromium) signed in
// once with the session cookie. Each timed load is a fresh browser context (empty HTTP cache) navigating to
// /app/p/bench; the clock stops when the overview sets data-loaded="true" (every KPI tile, the chart and every
// list on screen). BENCH_LOADS (10) timed loads per period after one untimed warm-up; p50/p95/max.
// Each period's API requests are also replayed alone from Node (the server's share), and a small baseline
// dataset is measured in the same run (the browser's share at this machine's load). Also the JavaScript the
// first view ships: transferred (as the browser negotiated it) and gzipped.
// Knobs: BENCH_SIZE (10000000), BENCH_BASELINE (100000; 0 = none), BENCH_SEED (42), BENCH_LOADS (10),
// BENCH_PERIODS (7d,30d), BENCH_DIR
// (a kept data folder generated less than 20 h ago is reused; BENCH_FRESH=1 regenerates).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Cookie } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { BENCH_PROJECT, generate } from './query-data.js';
import { freePort, pct, peakRssMb, startServer, stopServer } from './server.js';

const SIZE = Number(process.env.BENCH_SIZE ?? 10_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const PERIODS = (process.env.BENCH_PERIODS ?? '7d,30d').split(',');
/** A small dataset measured in the same run (0: none), so the table shows what the data adds to the browser's share. */
const BASELINE = Number(process.env.BENCH_BASELINE ?? 100_000);
const ROOT = process.env.BENCH_DIR ?? join(tmpdir(), 'aa-bench-dashboard');
const KEY = `aak_${'0'.repeat(47)}9`;
const TARGET_MS = 1500;
const JS_BUDGET = 150 * 1024;
/** A regular desktop Chrome: HeadlessChrome is treated as a bot by the tracker endpoints (not used here). */
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Generate the dataset, or reuse a folder this script finished less than 20 hours ago (windows are relative to then). */
async function dataFolder(env: Record<string, string>, dir: string, size: number): Promise<{ rows: number; loadSec: number; foldSec: number; reused: boolean }> {
  const marker = join(dir, 'bench-dashboard.json');
  if (!process.env.BENCH_FRESH && existsSync(marker) && Date.now() - statSync(marker).mtimeMs < 20 * 3_600_000) {
    return { ...JSON.parse(readFileSync(marker, 'utf8')), reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${size} events in ${dir} …\n`);
  const gen = await generate(loadConfig(env), size, SEED);
  writeFileSync(marker, JSON.stringify(gen));
  return { ...gen, reused: false };
}

/** Bytes of `path` as the server sends it with `accept-encoding: gzip` (the precompressed gzip asset). */
function gzipBytes(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(base + path, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (res.headers['content-encoding'] === 'gzip' ? resolve(n) : reject(new Error(`${path}: not served gzipped`))));
    }).on('error', reject).end();
  });
}

async function signIn(browser: Browser, base: string): Promise<Cookie[]> {
  const ctx = await browser.newContext({ userAgent: UA });
  const res = await ctx.request.post(`${base}/app/session`, { data: { api_key: KEY }, headers: { origin: base } });
  if (res.status() !== 200) throw new Error(`sign-in: ${res.status()} ${await res.text()}`);
  const cookies = await ctx.cookies();
  await ctx.close();
  return cookies;
}

interface Load {
  ms: number;
  scripts: { url: string; transferred: number }[];
  /** The API requests the overview made (path and query), to replay without the browser. */
  api: string[];
}

/** One cold load: a fresh context (no HTTP cache) with the session cookie, navigation → data-loaded="true". */
async function load(browser: Browser, cookies: Cookie[], url: string): Promise<Load> {
  const ctx = await browser.newContext({ userAgent: UA, viewport: { width: 1280, height: 800 } });
  await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  const scripts: Promise<{ url: string; transferred: number }>[] = [];
  const apiCalls: string[] = [];
  page.on('requestfinished', (req) => {
    if (req.resourceType() === 'script') scripts.push(req.sizes().then((s) => ({ url: new URL(req.url()).pathname, transferred: s.responseBodySize })));
    if (req.resourceType() === 'fetch' && req.method() === 'GET' && !req.url().includes('/app/')) apiCalls.push(new URL(req.url()).pathname + new URL(req.url()).search);
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-view="overview"][data-loaded="true"]', { timeout: 120_000 });
  const ms = performance.now() - t0;
  const errors = await page.locator('.error').count();
  if (errors) throw new Error(`${url}: the overview shows ${errors} error(s): ${await page.locator('.error').first().textContent()}`);
  const out = { ms, scripts: await Promise.all(scripts), api: apiCalls };
  await ctx.close();
  return out;
}

/** The overview's API requests alone, all at once as the page sends them, from Node with the key: p50 of `n` rounds (ms). */
async function replay(base: string, paths: string[], n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await Promise.all(paths.map(async (p) => {
      const r = await fetch(base + p, { headers: { 'x-api-key': KEY } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    }));
    times.push(performance.now() - t);
  }
  return pct(times.sort((a, b) => a - b), 50);
}

/** One dataset: the server on it, warm-up + LOADS cold loads per period; table rows. */
async function measure(size: number, browser: Browser, periods: string[]): Promise<{ rows: string[]; rss: number; js: { files: number; transferred: number; gzip: number } }> {
  const dir = join(ROOT, `${size}-${SEED}`);
  const env: Record<string, string> = { AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1' };
  const gen = await dataFolder(env, dir, size);
  process.stderr.write(`  ${gen.rows} rows (${gen.reused ? 'reused' : `loaded in ${gen.loadSec}s, rollups folded in ${gen.foldSec}s`})\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer({ ...env, PORT: String(port) });
  const rows: string[] = [];
  let first: Load | null = null;
  let rss = NaN;
  let js = { files: 0, transferred: 0, gzip: 0 };
  try {
    const cookies = await signIn(browser, base);
    for (const period of periods) {
      const url = `${base}/app/p/${BENCH_PROJECT.name}?period=${period}`;
      const warm = await load(browser, cookies, url);
      first ??= warm;
      const times: number[] = [];
      for (let i = 0; i < LOADS; i++) times.push((await load(browser, cookies, url)).ms);
      times.sort((a, b) => a - b);
      const [p50, p95, max] = [pct(times, 50), pct(times, 95), times[times.length - 1]];
      const apiMs = await replay(base, warm.api);
      process.stderr.write(`  ${size} ${period}: warm-up ${warm.ms.toFixed(0)} ms; p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms; its ${warm.api.length} API requests alone ${apiMs.toFixed(0)} ms\n`);
      rows.push(`| ${fmt(size)} events, period=${period} | ≤ ${TARGET_MS} | ${times[0].toFixed(0)} / ${p50.toFixed(0)} / ${p95.toFixed(0)} / ${max.toFixed(0)}${p95 > TARGET_MS ? ' ✗' : ''} | ${apiMs.toFixed(0)} (${warm.api.length} requests) |`);
    }
    rss = peakRssMb(server.pid!);
    const paths = [...new Set(first!.scripts.map((x) => x.url))];
    const gzip = (await Promise.all(paths.map((x) => gzipBytes(base, x)))).reduce((a, b) => a + b, 0);
    js = { files: paths.length, transferred: first!.scripts.reduce((a, x) => a + x.transferred, 0), gzip };
  } finally {
    await stopServer(server);
    if (!process.env.BENCH_KEEP && !process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
  return { rows, rss, js };
}

const fmt = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`);

async function main() {
  const load0 = loadavg()[0];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  let rows: string[];
  let big: Awaited<ReturnType<typeof measure>>;
  try {
    // The baseline (same run, same machine load): a small dataset, so the difference is what the data costs.
    const baseline = BASELINE > 0 ? await measure(BASELINE, browser, PERIODS) : null;
    big = await measure(SIZE, browser, PERIODS);
    rows = [...(baseline?.rows ?? []), ...big.rows];
  } finally {
    await browser.close();
  }
  const table = [
    '| dataset | target p95 (ms) | navigation → every tile, chart and list: min / p50 / p95 / max (ms) | its API requests alone, p50 (ms) |',
    '| --- | --- | --- | --- |', ...rows,
  ].join('\n');
  const { files, transferred, gzip } = big.js;
  const note = [
    `${LOADS} timed cold loads per period (fresh browser context each) after one warm-up; seed ${SEED}; headless Chromium and the server on this machine; load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`,
    `JavaScript of the first view: ${(gzip / 1024).toFixed(1)} KB gzipped (budget ${JS_BUDGET / 1024} KB)${gzip > JS_BUDGET ? ' ✗' : ''}, ${files} file(s), ${(transferred / 1024).toFixed(1)} KB as transferred (brotli). Server peak RSS at ${fmt(SIZE)}: ${big.rss} MB.`,
  ].join('\n');
  process.stdout.write(`\n${table}\n\n${note}\n`);
  writeFileSync(join(tmpdir(), 'aa-bench-dashboard-last.md'), `${table}\n\n${note}\n`);
}

await main();
