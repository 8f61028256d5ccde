// `npm run bench:dashboard`: how fast the dashboard's overview is on a big dataset. The deterministic events
// of bench:query (bench/query-data.ts: one project, 30 days, bulk-loaded straight into DuckDB, no HTTP) in a data
// folder; the real server as a child process; headless Chromium (playwright-core, /usr/bin/chromium) signed in
// once with the session cookie. Each timed load is a fresh browser context (empty HTTP cache) navigating to
// /app/p/bench; the clock stops when the overview sets data-loaded="true" (every KPI tile, the chart and every
// list on screen). BENCH_LOADS (10) timed loads per period after one untimed warm-up; p50/p95/max.
// Also the JavaScript the first view ships: transferred (as the browser negotiated it) and gzipped.
// Knobs: BENCH_SIZE (10000000), BENCH_SEED (42), BENCH_LOADS (10), BENCH_PERIODS (7d,30d), BENCH_DIR
// (a kept data folder generated less than 20 h ago is reused; BENCH_FRESH=1 regenerates).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Cookie } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { BENCH_PROJECT, generate } from './query-data.js';
import { freePort, pct, peakRssMb, startServer, stopServer } from './server.js';

const SIZE = Number(process.env.BENCH_SIZE ?? 10_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const PERIODS = (process.env.BENCH_PERIODS ?? '7d,30d').split(',');
const ROOT = process.env.BENCH_DIR ?? join(tmpdir(), 'aa-bench-dashboard');
const KEY = `aak_${'0'.repeat(47)}9`;
const TARGET_MS = 1500;
const JS_BUDGET = 150 * 1024;
/** A regular desktop Chrome: HeadlessChrome is treated as a bot by the tracker endpoints (not used here). */
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Generate the dataset, or reuse a folder this script finished less than 20 hours ago (windows are relative to then). */
async function dataFolder(env: Record<string, string>, dir: string): Promise<{ rows: number; loadSec: number; foldSec: number; reused: boolean }> {
  const marker = join(dir, 'bench-dashboard.json');
  if (!process.env.BENCH_FRESH && existsSync(marker) && Date.now() - statSync(marker).mtimeMs < 20 * 3_600_000) {
    return { ...JSON.parse(readFileSync(marker, 'utf8')), reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${SIZE} events in ${dir} …\n`);
  const gen = await generate(loadConfig(env), SIZE, SEED);
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
}

/** One cold load: a fresh context (no HTTP cache) with the session cookie, navigation → data-loaded="true". */
async function load(browser: Browser, cookies: Cookie[], url: string): Promise<Load> {
  const ctx = await browser.newContext({ userAgent: UA, viewport: { width: 1280, height: 800 } });
  await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  const scripts: Promise<{ url: string; transferred: number }>[] = [];
  page.on('requestfinished', (req) => {
    if (req.resourceType() === 'script') scripts.push(req.sizes().then((s) => ({ url: new URL(req.url()).pathname, transferred: s.responseBodySize })));
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-view="overview"][data-loaded="true"]', { timeout: 120_000 });
  const ms = performance.now() - t0;
  const errors = await page.locator('.error').count();
  if (errors) throw new Error(`${url}: the overview shows ${errors} error(s): ${await page.locator('.error').first().textContent()}`);
  const out = { ms, scripts: await Promise.all(scripts) };
  await ctx.close();
  return out;
}

async function main() {
  const dir = join(ROOT, `${SIZE}-${SEED}`);
  const env: Record<string, string> = { AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1' };
  const gen = await dataFolder(env, dir);
  process.stderr.write(`  ${gen.rows} rows (${gen.reused ? 'reused' : `loaded in ${gen.loadSec}s, rollups folded in ${gen.foldSec}s`})\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer({ ...env, PORT: String(port) });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const rows: string[] = [];
  let first: Load | null = null;
  try {
    const cookies = await signIn(browser, base);
    for (const period of PERIODS) {
      const url = `${base}/app/p/${BENCH_PROJECT.name}?period=${period}`;
      const warm = await load(browser, cookies, url);
      first ??= warm;
      process.stderr.write(`  ${period}: warm-up ${warm.ms.toFixed(0)} ms\n`);
      const times: number[] = [];
      for (let i = 0; i < LOADS; i++) times.push((await load(browser, cookies, url)).ms);
      times.sort((a, b) => a - b);
      const [p50, p95, max] = [pct(times, 50), pct(times, 95), times[times.length - 1]];
      process.stderr.write(`  ${period}: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms\n`);
      rows.push(`| overview, period=${period}: navigation → all tiles, chart and lists (ms) | ≤ ${TARGET_MS} (p95) | ${times[0].toFixed(0)} / ${p50.toFixed(0)} / ${p95.toFixed(0)} / ${max.toFixed(0)}${p95 > TARGET_MS ? ' ✗' : ''} |`);
    }
    const paths = [...new Set(first!.scripts.map((s) => s.url))];
    const transferred = first!.scripts.reduce((a, s) => a + s.transferred, 0);
    const gzip = (await Promise.all(paths.map((p) => gzipBytes(base, p)))).reduce((a, b) => a + b, 0);
    rows.push(`| JavaScript of the first view, gzipped (KB) | ≤ ${JS_BUDGET / 1024} | ${(gzip / 1024).toFixed(1)}${gzip > JS_BUDGET ? ' ✗' : ''} (${paths.length} file${paths.length === 1 ? '' : 's'}; ${(transferred / 1024).toFixed(1)} KB as transferred, brotli) |`);
    rows.push(`| server peak RSS (MB) | — | ${peakRssMb(server.pid!)} |`);
  } finally {
    await browser.close();
    await stopServer(server);
    if (!process.env.BENCH_KEEP && !process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
  const size = SIZE >= 1e6 ? `${SIZE / 1e6} M` : `${SIZE / 1e3} k`;
  const table = [`| ${size} events | target | min / p50 / p95 / max |`, '| --- | --- | --- |', ...rows].join('\n');
  process.stdout.write(`\n${table}\n\n${LOADS} timed cold loads per period (fresh browser context each) after one warm-up; seed ${SEED}; headless Chromium and the server on this machine.\n`);
  writeFileSync(join(tmpdir(), 'aa-bench-dashboard-last.md'), table);
}

await main();
