// The HTTP workload of `npm run bench:query` (issue 18): a dataset that reaches the server the way production
// data does, so no shortcut of the bulk generator (bench/query-data.ts) can flatter the figures. The real server
// (a child process, DuckDB or ClickHouse through chdb) gets four projects of different sizes (60/25/10/5 % of the
// events) through POST /track/batch, 100 tracker-like events per request over several connections, in shuffled
// arrival order; then every report endpoint is timed over HTTP on the largest project with varied parameters,
// including breakdowns and filters on JSON-only property keys. Deterministic for a seed (mulberry32).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuUs, freePort, pct, peakRssMb, startServer, stopServer } from './server.js';
import { prng } from '../test/helpers/prng.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const WORKLOAD_KEY = `aak_${'0'.repeat(47)}a`;
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The projects and their share of the events; the first is the one the reports are timed on. */
export const WORKLOAD_PROJECTS = [
  { name: 'shop', share: 0.6, host: 'shop.example', pages: 400 },
  { name: 'docs', share: 0.25, host: 'docs.example', pages: 300 },
  { name: 'blog', share: 0.1, host: 'blog.example', pages: 150 },
  { name: 'landing', share: 0.05, host: 'landing.example', pages: 12 },
] as const;
export const MEASURED = WORKLOAD_PROJECTS[0].name;


/** FNV-1a of a string: per-user attributes that stay the same in every session of that user. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function weighted<T>(r: number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = r * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1][0];
}

/** Session lengths 1–8 events: a third bounce, longer sessions rarer (mean ≈ 2.9). */
const LENGTHS = [[1, 35], [2, 20], [3, 14], [4, 10], [5, 8], [6, 6], [7, 4], [8, 3]] as const;
/** Visits by UTC hour: a day curve (quiet at night), so /heatmap is not flat. */
const HOURS = Array.from({ length: 24 }, (_, h) => [h, 2 + 10 * Math.max(0, Math.sin(((h - 5) / 24) * 2 * Math.PI))] as const);
const NEXT_EVENTS = [['page_view', 55], ['$scroll_depth', 10], ['$click', 12], ['search', 5], ['add_to_cart', 7], ['signup', 4], ['purchase', 3], ['$experiment_exposure', 4]] as const;
const REFERRERS = [['', 45], ['https://www.google.com/', 30], ['https://t.co/abc', 6], ['https://news.ycombinator.com/', 4], ['https://www.bing.com/', 5], ['https://duckduckgo.com/', 4], ['https://github.com/', 6]] as const;
const UTMS: readonly (readonly [readonly string[] | null, number])[] = [[null, 80], [['newsletter', 'email', 'weekly'], 8], [['google', 'cpc', 'brand'], 6], [['twitter', 'social', 'launch'], 4], [['partner', 'referral', 'q4'], 2]];
const COUNTRIES = [['US', 30], ['DE', 12], ['GB', 10], ['FR', 8], ['IN', 10], ['BR', 7], ['JP', 5], ['CA', 5], ['NL', 4], ['ES', 4], ['PL', 3], ['SE', 2]] as const;
const SECTIONS = ['products', 'blog', 'docs', 'help', 'category'];
const BROWSERS = ['Chrome', 'Chrome', 'Chrome', 'Safari', 'Safari', 'Firefox', 'Edge'];
const OSES = ['Windows', 'macOS', 'iOS', 'Android', 'Linux'];
const TIMEZONES = ['America/New_York', 'Europe/Berlin', 'Europe/London', 'Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Tokyo', 'America/Los_Angeles'];
const PLANS = ['free', 'free', 'free', 'pro', 'pro', 'team'];
const VARIANTS = ['control', 'test_a', 'test_b'];

const pathOf = (i: number) => (i === 0 ? '/' : i === 1 ? '/pricing' : i === 2 ? '/signup' : `/${SECTIONS[i % 5]}/item-${i}`);
/** A returning user's id: a third of the pool identified (user_…), the rest anonymous tracker ids. */
export const userIdOf = (project: number, idx: number, pool: number) => (idx < pool / 3 ? `user_${project}_${idx.toString(36)}` : `anon_${project}_${idx.toString(36)}`);

interface TrackEvent {
  token: string; event: string; user_id: string; session_id: string; timestamp: number; properties: Record<string, unknown>;
}
interface Batch { project: number; body: string; count: number }

export interface Dataset {
  /** Events generated per project, and distinct users per project. */
  events: number[];
  users: number[];
  sessions: number;
  /** The heaviest returning user of the measured project (for user_id filters). */
  heavyUser: string;
}

/**
 * Sessions in random time order (start times drawn independently over the last 29 days and today), each event
 * put into its project's shuffle pool; a batch is 100 events drawn at random from a full pool, so one request
 * mixes sessions, users and days, and a session's events arrive spread over many requests.
 * Users: 30 % of sessions from one-off visitors (a new id each), 70 % from a per-project pool of returning
 * users (0.04 × the project's events, skewed so a few users come back often).
 */
export function* batches(n: number, seed: number, now: number, tokens: string[], ds: Dataset): Generator<Batch> {
  const rand = prng(seed);
  const dayBase = Math.floor((now - 28 * DAY) / DAY) * DAY; // ≥ 1 day inside the 30-day ingestion window
  const pools = WORKLOAD_PROJECTS.map((p) => Math.max(10, Math.ceil(0.04 * n * p.share)));
  const seen = pools.map((size) => new Uint8Array(size));
  const poolCap = Math.max(200, Math.min(20_000, Math.floor(n / 50)));
  const pending: TrackEvent[][] = WORKLOAD_PROJECTS.map(() => []);
  const draw = (p: number): Batch => {
    const pool = pending[p];
    const out: TrackEvent[] = [];
    while (out.length < 100 && pool.length) {
      const i = Math.floor(rand() * pool.length);
      out.push(pool[i]);
      pool[i] = pool[pool.length - 1];
      pool.pop();
    }
    return { project: p, body: JSON.stringify({ events: out }), count: out.length };
  };
  ds.heavyUser = userIdOf(0, 0, pools[0]);
  let produced = 0;
  let s = 0;
  while (produced < n) {
    const p = weighted(rand(), WORKLOAD_PROJECTS.map((x, i) => [i, x.share] as const));
    const proj = WORKLOAD_PROJECTS[p];
    let user: string;
    if (rand() < 0.3) {
      user = `anon_v${s.toString(36)}`;
      ds.users[p]++;
    } else {
      const idx = Math.floor(pools[p] * rand() ** 1.5);
      if (!seen[p][idx]) (seen[p][idx] = 1), ds.users[p]++;
      user = userIdOf(p, idx, pools[p]);
    }
    const h = hash(user);
    const browser = BROWSERS[h % BROWSERS.length];
    const os = OSES[(h >>> 4) % OSES.length];
    const device = os === 'iOS' || os === 'Android' ? ((h >>> 8) % 5 === 0 ? 'tablet' : 'mobile') : 'desktop';
    const plan = user.startsWith('user_') ? PLANS[(h >>> 12) % PLANS.length] : undefined;
    const variant = (h >>> 16) % 10 < 6 ? VARIANTS[(h >>> 20) % 3] : undefined;
    const timezone = TIMEZONES[(h >>> 24) % TIMEZONES.length];
    // A start later than an hour ago moves back whole days: the draws never depend on the clock, so a seed gives
    // the same sessions, users and requests in every run (only shifted in time).
    let start = dayBase + Math.floor(rand() * 29) * DAY + weighted(rand(), HOURS) * HOUR + Math.floor(rand() * HOUR);
    if (start > now - HOUR) start -= Math.ceil((start - (now - HOUR)) / DAY) * DAY;
    const referrer = weighted(rand(), REFERRERS);
    const utm = weighted(rand(), UTMS);
    const len = Math.min(weighted(rand(), LENGTHS), n - produced);
    const sessionId = `sess_${seed.toString(36)}_${s.toString(36)}`;
    const sessionCount = 1 + Math.floor(rand() * 12);
    let t = start;
    let page = Math.floor(proj.pages * rand() ** 2.2);
    for (let k = 0; k < len; k++) {
      const event = k === 0 ? 'page_view' : weighted(rand(), NEXT_EVENTS);
      if (event === 'page_view' && k > 0) page = Math.floor(proj.pages * rand() ** 2.2);
      const path = pathOf(page);
      const props: Record<string, unknown> = {
        path, url: `https://${proj.host}${path}${utm ? `?utm_source=${utm[0]}` : ''}`, hostname: proj.host,
        title: `${path === '/' ? 'Home' : path.slice(1)} — ${proj.name}`, referrer,
        language: (h >>> 2) % 4 === 0 ? 'de-DE' : 'en-US', screen: device === 'desktop' ? '1920x1080' : '390x844',
        browser, os, device, timezone, session_count: sessionCount, days_since_first_visit: (h >>> 6) % 60,
      };
      if (utm) Object.assign(props, { utm_source: utm[0], utm_medium: utm[1], utm_campaign: utm[2] });
      if (plan) props.plan = plan;
      if (variant) props.variant = variant;
      if (event === 'add_to_cart' || event === 'purchase') props.price = 5 + Math.floor(rand() * 196);
      if (event === '$scroll_depth') props.depth = [25, 50, 75, 100][Math.floor(rand() * 4)];
      if (event === '$click') props.element = ['cta', 'nav', 'footer', 'card'][Math.floor(rand() * 4)];
      if (event === '$experiment_exposure') Object.assign(props, { experiment: 'checkout_v2', variant: variant ?? 'control' });
      pending[p].push({ token: tokens[p], event, user_id: user, session_id: sessionId, timestamp: t, properties: props });
      ds.events[p]++;
      t += Math.round(Math.exp(Math.log(3000) + rand() * (Math.log(240_000) - Math.log(3000))));
    }
    produced += len;
    s++;
    if (pending[p].length >= poolCap) yield draw(p);
  }
  ds.sessions = s;
  for (let p = 0; p < pending.length; p++) while (pending[p].length) yield draw(p);
}

/** One measured report: its variants are cycled through, so no single parameter set is what gets timed. */
export interface Endpoint { name: string; target: number; variants: { method: 'GET' | 'POST'; path: string; body?: unknown }[] }

export function workloadEndpoints(heavyUser: string): Endpoint[] {
  const P = MEASURED;
  const g = (q: string) => ({ method: 'GET' as const, path: `${q}${q.includes('?') ? '&' : '?'}project=${P}` });
  const post = (path: string, body: Record<string, unknown>) => ({ method: 'POST' as const, path, body: { project: P, ...body } });
  const f = (field: string, op: string, value: unknown) => ({ field, op, value });
  return [
    { name: 'GET /stats', target: 150, variants: [g('/stats'), g('/stats?since=30d'), g('/stats?since=1d&groupBy=hour'), g('/stats?since=14d&groupBy=week')] },
    { name: 'GET /events', target: 150, variants: [g('/events'), g('/events?event=purchase&since=30d'), g(`/events?user_id=${heavyUser}&since=30d`), g('/events?limit=1000')] },
    { name: 'GET /properties', target: 150, variants: [g('/properties'), g('/properties?since=30d')] },
    { name: 'GET /properties/received', target: 150, variants: [g('/properties/received'), g('/properties/received?since=30d&sample=10000')] },
    { name: 'GET /breakdown, promoted key (path, referrer, utm_source, browser)', target: 150, variants: [g('/breakdown?property=path'), g('/breakdown?property=referrer&since=30d'), g('/breakdown?property=utm_source&event=page_view'), g('/breakdown?property=browser&since=14d')] },
    { name: 'GET /breakdown, JSON-only key (plan, variant, price, timezone)', target: 150, variants: [g('/breakdown?property=plan'), g('/breakdown?property=variant&since=30d'), g('/breakdown?property=price&event=purchase'), g('/breakdown?property=timezone&since=14d')] },
    { name: 'GET /pages', target: 150, variants: [g('/pages'), g('/pages?type=exit&since=30d'), g('/pages?type=both')] },
    { name: 'GET /heatmap', target: 150, variants: [g('/heatmap'), g('/heatmap?since=30d')] },
    { name: 'GET /insights', target: 150, variants: [g('/insights'), g('/insights?period=30d'), g('/insights?period=1d')] },
    { name: 'POST /query, built-in fields', target: 150, variants: [
      post('/query', {}), post('/query', { metrics: ['event_count', 'unique_users'], group_by: ['event'] }),
      post('/query', { metrics: ['session_count', 'bounce_rate', 'avg_duration'], group_by: ['date'], date_from: '30d' }),
      post('/query', { metrics: ['event_count'], group_by: ['country'], filters: [f('event', 'eq', 'page_view')] }),
    ] },
    { name: 'POST /query, JSON-only key filters (plan, price, variant)', target: 150, variants: [
      post('/query', { filters: [f('properties.plan', 'eq', 'pro')] }),
      post('/query', { metrics: ['event_count', 'unique_users'], filters: [f('event', 'eq', 'purchase'), f('properties.price', 'gt', 50)], date_from: '30d' }),
      post('/query', { metrics: ['event_count', 'unique_users'], group_by: ['date'], filters: [f('properties.variant', 'eq', 'test_b')], date_from: '30d' }),
      post('/query', { group_by: ['event'], filters: [f('properties.plan', 'neq', 'free'), f('properties.timezone', 'contains', 'europe')] }),
    ] },
    { name: 'GET /sessions', target: 400, variants: [g('/sessions'), g('/sessions?since=30d'), g('/sessions?is_bounce=0&limit=1000'), g(`/sessions?user_id=${heavyUser}&since=30d`)] },
    { name: 'GET /sessions/distribution', target: 400, variants: [g('/sessions/distribution'), g('/sessions/distribution?since=30d')] },
    { name: 'POST /funnel', target: 400, variants: [
      post('/funnel', { steps: [{ event: 'page_view' }, { event: 'signup' }, { event: 'purchase' }] }),
      post('/funnel', { steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase', filters: [{ property: 'plan', op: 'neq', value: 'free' }] }], breakdown: 'variant' }),
      post('/funnel', { steps: [{ event: 'page_view', filters: [{ property: 'path', op: 'eq', value: '/pricing' }] }, { event: 'signup' }], count_by: 'session_id', since: '7d' }),
    ] },
    { name: 'GET /retention', target: 400, variants: [g('/retention'), g('/retention?period=day&cohorts=14'), g('/retention?event=signup&returning_event=purchase')] },
  ];
}

export interface WorkloadOptions {
  engine: 'duckdb' | 'clickhouse';
  events: number;
  /** Timed requests per endpoint (after one untimed request per variant). */
  runs: number;
  seed: number;
  connections: number;
  /** The data folder (emptied first, unless `reuse` finds a loaded one). */
  dir: string;
  /** Read a folder an earlier run loaded and kept (its `workload.json`) instead of loading again. */
  reuse?: boolean;
  /** After the reads, wait until the server's CPU falls idle (background work done) and read again. */
  settle?: boolean;
  log?: (line: string) => void;
  /** Every successful report answer (warm-ups included), for the smoke test to check what the timings are of. */
  onAnswer?: (endpoint: string, path: string, body: unknown, answer: unknown) => void;
}

export interface WorkloadResult {
  engine: string;
  projects: { name: string; events: number; users: number }[];
  sessions: number;
  accepted: number;
  retries: number;
  loadSec: number;
  /** From the last 202 until every project's /stats?since=30d counts all its events. */
  visibleSec: number;
  loadAvgDuringLoad: number;
  loadAvgDuringReads: number;
  rssAfterLoadMb: number;
  rssPeakMb: number;
  /** Per endpoint: percentiles over the successful timed requests; `failed` counts non-200 answers (warm-ups included). */
  timings: Timing[];
  /** The second read pass of `settle`: how long the server took to fall idle after the first, and the timings. */
  settled?: { afterSec: number; loadAvgDuringReads: number; timings: Timing[] };
}

type Timing = { name: string; target: number; p50: number; p95: number; n: number; failed: number; firstError: string | null };

/** Wait until `pid` uses under 10 % of a core over 10 s (its background work done), at most `maxSec`; seconds waited. */
async function settle(pid: number, maxSec: number): Promise<number> {
  const t0 = performance.now();
  const samples = [cpuUs(pid) / 1e6];
  while ((performance.now() - t0) / 1000 < maxSec) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(cpuUs(pid) / 1e6);
    if (samples.length > 10 && samples[samples.length - 1] - samples[samples.length - 11] < 1) break;
  }
  return (performance.now() - t0) / 1000;
}

async function request(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path, {
    method, headers: { 'x-api-key': WORKLOAD_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, text: await res.text() };
}

/** Samples of the 1-minute load average while `fn` runs; the mean. */
async function withLoad<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const xs = [loadavg()[0]];
  const timer = setInterval(() => xs.push(loadavg()[0]), 5000);
  try {
    const out = await fn();
    xs.push(loadavg()[0]);
    return [out, xs.reduce((a, b) => a + b, 0) / xs.length];
  } finally {
    clearInterval(timer);
  }
}

export async function runHttpWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const log = o.log ?? (() => {});
  const saved = join(o.dir, 'workload.json');
  const reuse = o.reuse === true && existsSync(saved);
  if (!reuse) {
    rmSync(o.dir, { recursive: true, force: true });
    mkdirSync(o.dir, { recursive: true });
  }
  const env: Record<string, string> = {
    AA_DATA_DIR: o.dir, AA_BOOTSTRAP_API_KEY: WORKLOAD_KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1',
    AA_TRUST_COUNTRY_HEADER: 'x-bench-country',
  };
  if (o.engine === 'clickhouse') env.AA_EVENTS_URL = `chdb:${join(o.dir, 'clickhouse')}?database=bench`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = await startServer({ ...env, PORT: String(port) });
  try {
    type Loaded = { ds: Dataset; accepted: number; retries: number; loadSec: number; visibleSec: number; rssAfterLoadMb: number; loadAvgDuringLoad: number };
    const load = async (): Promise<Loaded> => {
      const tokens: string[] = [];
      for (const p of WORKLOAD_PROJECTS) {
        const r = await request(base, 'POST', '/projects', { name: p.name, allowed_origins: `https://${p.host}` });
        if (r.status !== 201 && r.status !== 200) throw new Error(`POST /projects ${p.name}: ${r.status} ${r.text.slice(0, 200)}`);
        tokens.push((JSON.parse(r.text) as { project_token: string }).project_token);
      }

      // Load: o.connections workers pull batches from one generator (its order, and so every body, is seeded).
      const ds: Dataset = { events: WORKLOAD_PROJECTS.map(() => 0), users: WORKLOAD_PROJECTS.map(() => 0), sessions: 0, heavyUser: '' };
      const now = Date.now();
      const it = batches(o.events, o.seed, now, tokens, ds);
      const countryRand = prng(o.seed ^ 0x5bd1e995);
      let accepted = 0;
      let retries = 0;
      let nextReport = o.events / 10;
      const t0 = performance.now();
      const [, loadAvgDuringLoad] = await withLoad(() => Promise.all(Array.from({ length: o.connections }, async () => {
        for (let b = it.next(); !b.done; b = it.next()) {
          const headers = { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, 'x-bench-country': weighted(countryRand(), COUNTRIES) };
          for (let attempt = 0; ; attempt++) {
            const res = await fetch(`${base}/track/batch`, { method: 'POST', headers, body: b.value.body });
            const text = await res.text();
            if (res.status === 202) break;
            // Back-pressure (503 while the store catches up with the journal, 429): wait as told and resend, as a
            // well-behaved client does; the time counts in the load figures and the retries are reported.
            if ((res.status === 429 || res.status === 503) && attempt < 600) {
              retries++;
              await new Promise((r) => setTimeout(r, 1000 * Math.min(5, Number(res.headers.get('retry-after')) || 1)));
              continue;
            }
            throw new Error(`POST /track/batch: ${res.status} ${text.slice(0, 300)}`);
          }
          accepted += b.value.count;
          if (accepted >= nextReport) {
            log(`  ${accepted.toLocaleString('en-US')} events accepted, ${Math.round(accepted / ((performance.now() - t0) / 1000))} events/s`);
            nextReport += o.events / 10;
          }
        }
      })));
      const loadSec = (performance.now() - t0) / 1000;

      // Visible: every project's 30-day total equals what it was sent (DuckDB folds the journal asynchronously).
      const t1 = performance.now();
      for (let p = 0; p < WORKLOAD_PROJECTS.length; p++) {
        for (;;) {
          const r = await request(base, 'GET', `/stats?project=${WORKLOAD_PROJECTS[p].name}&since=30d`);
          if (r.status !== 200) throw new Error(`GET /stats: ${r.status} ${r.text.slice(0, 200)}`);
          const total = (JSON.parse(r.text) as { totals: { total_events: number } }).totals.total_events;
          if (total === ds.events[p]) break;
          if (total > ds.events[p]) throw new Error(`${WORKLOAD_PROJECTS[p].name}: ${total} events visible, ${ds.events[p]} sent`);
          if (performance.now() - t1 > 30 * 60_000) throw new Error(`${WORKLOAD_PROJECTS[p].name}: only ${total} of ${ds.events[p]} events visible after 30 min`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const visibleSec = (performance.now() - t1) / 1000;
      const rssAfterLoadMb = peakRssMb(server.pid!);
      log(`  loaded ${accepted.toLocaleString('en-US')} events in ${loadSec.toFixed(1)} s (${Math.round(accepted / loadSec)} events/s, ${retries} retries), all visible ${visibleSec.toFixed(1)} s later; ${ds.sessions} sessions; users ${ds.users.join('/')}`);
      return { ds, accepted, retries, loadSec, visibleSec, rssAfterLoadMb, loadAvgDuringLoad };
    };
    const loaded: Loaded = reuse ? JSON.parse(readFileSync(saved, 'utf8')) as Loaded : await load();
    if (reuse) log(`  reusing ${o.dir}: ${loaded.accepted.toLocaleString('en-US')} events loaded by an earlier run`);
    else writeFileSync(saved, JSON.stringify(loaded));
    const { ds, accepted, retries, loadSec, visibleSec, rssAfterLoadMb, loadAvgDuringLoad } = loaded;

    // Reads: one untimed request per variant, then o.runs timed requests cycling through the variants. A request
    // that fails is counted (with its first answer kept) instead of ending the run, so one broken report still
    // leaves the others measured; its time is left out of the percentiles.
    const readPass = () => withLoad(async () => {
      const out: Timing[] = [];
      for (const e of workloadEndpoints(ds.heavyUser)) {
        let failed = 0;
        let firstError: string | null = null;
        const once = async (v: Endpoint['variants'][number]) => {
          const t = performance.now();
          const r = await request(base, v.method, v.path, v.body);
          const ms = performance.now() - t;
          if (r.status === 200) {
            o.onAnswer?.(e.name, v.path, v.body, JSON.parse(r.text));
            return ms;
          }
          failed++;
          firstError ??= `${v.method} ${v.path}${v.body ? ` ${JSON.stringify(v.body)}` : ''}: ${r.status} ${r.text.slice(0, 200)}`;
          return null;
        };
        for (const v of e.variants) await once(v);
        const times: number[] = [];
        for (let i = 0; i < o.runs; i++) {
          const ms = await once(e.variants[i % e.variants.length]);
          if (ms !== null) times.push(ms);
        }
        times.sort((a, b) => a - b);
        const t = { name: e.name, target: e.target, p50: pct(times, 50) ?? NaN, p95: pct(times, 95) ?? NaN, n: times.length, failed, firstError };
        out.push(t);
        log(`  ${e.name}: p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms${failed ? `; ${failed} of ${o.runs + e.variants.length} requests failed, first: ${firstError}` : ''}`);
      }
      return out;
    });
    const [timings, loadAvgDuringReads] = await readPass();
    let settled: WorkloadResult['settled'];
    if (o.settle) {
      const afterSec = await settle(server.pid!, 1800);
      log(`  the server fell idle ${afterSec.toFixed(0)} s after the reads; reading again`);
      const [again, loadAvg] = await readPass();
      settled = { afterSec, loadAvgDuringReads: loadAvg, timings: again };
    }
    log(`  ${o.engine}: server peak RSS ${peakRssMb(server.pid!)} MB (${rssAfterLoadMb} MB by the end of loading); load average ${loadAvgDuringLoad.toFixed(1)} during load, ${loadAvgDuringReads.toFixed(1)} during reads`);
    return {
      engine: o.engine, sessions: ds.sessions, accepted, retries, loadSec, visibleSec, loadAvgDuringLoad, loadAvgDuringReads,
      projects: WORKLOAD_PROJECTS.map((p, i) => ({ name: p.name, events: ds.events[i], users: ds.users[i] })),
      rssAfterLoadMb, rssPeakMb: peakRssMb(server.pid!), timings, settled,
    };
  } finally {
    await stopServer(server);
  }
}
