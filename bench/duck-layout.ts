// DuckDB read benchmark on data that arrived out of time order (issue 18): events written in random time order
// through the store's own fold path (the ingest journal's `journal.fold`, batches of 20,000 as the folder sends
// them), ≈ n/20 distinct users, sessions of 1–8 events, JSON-only property keys beside the promoted ones. Then
// the report functions the routes call are timed in-process. Not HTTP: see bench/query.ts for that.
//
//   npx tsx bench/duck-layout.ts gen <dir> <events>          write <dir>/events.duckdb (unsorted arrival)
//   npx tsx bench/duck-layout.ts time <file> <runs> [skip]    time each report; prints one JSON line
//   npx tsx bench/duck-layout.ts pair <dir> <base checkout> <rounds> <runs>
//       copies the file twice and alternates `time` runs of <base checkout>'s copy of this script and this
//       checkout's (same data, same hour), then prints p50/p95 per report for both, with the load average.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventStore } from '../src/store/duckdb/event-store.js';
import { EVENT_COLUMNS } from '../src/store/ports.js';
import { prng } from '../test/helpers/prng.js';

const DAY = 86_400_000;
const PROJECT = { projectId: 'proj_bench', project: 'bench' };


const EVENTS = ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup', 'purchase', 'search', 'add_to_cart'];
const CATEGORIES = Array.from({ length: 20 }, (_, i) => `cat${i}`);
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA'];

async function gen(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.duckdb');
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const store = await DuckDbEventStore.open(file, { rollupFoldMs: 0 });
  await store.migrate();
  const r = prng(42);
  const now = Date.now();
  const users = Math.max(1, Math.round(n / 20));
  const t0 = performance.now();
  let written = 0;
  let sid = 0;
  let segment = 0;
  while (written < n) {
    // A chunk of sessions, their events shuffled: arrival order is random in time (30 days), ids follow arrival.
    const chunk: Record<string, unknown>[] = [];
    while (chunk.length < 20_000 && written + chunk.length < n) {
      const start = now - Math.floor(r() * 30 * DAY);
      const len = 1 + Math.floor(r() * 8);
      const uid = Math.floor(r() * users);
      const anon = r() < 0.05;
      const s = `sess_${(sid++).toString(36)}`;
      const plan = ['free', 'pro', 'team'][uid % 3];
      let ts = start;
      for (let k = 0; k < len && written + chunk.length < n; k++) {
        const event = k === 0 ? 'page_view' : EVENTS[Math.floor(r() * EVENTS.length)];
        const path = `/p${Math.floor(200 * r() ** 2)}`;
        const props: Record<string, unknown> = { path, url: `https://shop.example${path}`, title: `Shop ${path}`, category: CATEGORIES[Math.floor(r() * 20)] };
        if (k === 0) props.referrer = ['https://www.google.com/', 'https://t.co/x', '', ''][Math.floor(r() * 4)];
        if (event === 'signup' || event === 'purchase') props.plan = plan;
        if (event === 'purchase') { props.price = Math.floor(r() * 200); props.item_id = `item${Math.floor(r() * 5000)}`; }
        if (event === 'search') props.query = `q${Math.floor(r() * 1000)}`;
        const t = Math.min(ts, now);
        chunk.push({
          project_id: PROJECT.projectId, ts: t, date: new Date(t).toISOString().slice(0, 10), received_at: now, event,
          user_id: anon ? null : `user_${uid}`, session_id: s, path, url: props.url, hostname: 'shop.example',
          referrer: props.referrer ?? null, referrer_domain: props.referrer ? new URL(String(props.referrer)).hostname : null,
          title: props.title, browser: ['Chrome', 'Safari', 'Firefox'][uid % 3], os: ['macOS', 'Windows', 'iOS', 'Android'][uid % 4],
          device: ['desktop', 'mobile'][uid % 2], country: COUNTRIES[uid % 8], language: 'en-US', screen: '1920x1080',
          properties: JSON.stringify(props),
        });
        ts += Math.floor(r() * 120_000);
      }
    }
    for (let i = chunk.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [chunk[i], chunk[j]] = [chunk[j], chunk[i]];
    }
    const rows = chunk.map((c, i) => {
      const row: Record<string, unknown> = { id: `01LAYOUT${String(written + i).padStart(18, '0')}` };
      for (const col of EVENT_COLUMNS) if (col !== 'id') row[col] = c[col] ?? null;
      return row;
    });
    written += rows.length;
    await store.journal.fold(Buffer.from(JSON.stringify([rows])), { segment: ++segment, offset: 0 });
    if (segment % 50 === 0) process.stderr.write(`  ${written} events, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const loadSec = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await store.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] }); // folds the rollups
  const foldSec = (performance.now() - t1) / 1000;
  await store.close();
  process.stdout.write(`${JSON.stringify({ events: written, users, sessions: sid, loadSec, foldSec })}\n`);
}

/**
 * The same shape generated by DuckDB itself (one INSERT … SELECT in random order, seeded hashes) for sizes the
 * fold path takes too long to write on a shared machine: the rows land in arrival (random) order all the same,
 * so the layout the reads meet is the same; ids follow arrival, seq is the column default.
 */
async function genSql(dir: string, n: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { keyOf } = await import('../src/store/duckdb/rollups.js');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.duckdb');
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
  await store.migrate();
  await store.close();
  const now = Date.now();
  const sessions = Math.round(n / 4.5);
  const users = Math.max(1, Math.round(n / 20));
  const h = (e: string) => `hash(42, ${e})`;
  const t0 = performance.now();
  const db = await DuckDBInstance.create(file, { threads: '2', memory_limit: '3GB' });
  const conn = await db.connect();
  await conn.run(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}, user_key, session_key)
    SELECT printf('01LAYOUT%018d', row_number() OVER ()), ${EVENT_COLUMNS.slice(1).join(', ')}, ${keyOf('user_id')}, ${keyOf('session_id')} FROM (
    WITH s AS (
      SELECT i AS sid, ${now} - CAST(${h('i, 1')} % ${30 * DAY} AS BIGINT) AS st, CAST(1 + ${h('i, 2')} % 8 AS BIGINT) AS len,
        CAST(${h('i, 3')} % ${users} AS BIGINT) AS uid, ${h('i, 4')} % 20 = 0 AS anon FROM range(${sessions}) t(i)
    ), e AS (
      SELECT s.*, k, least(${now}, st + k * CAST(${h('sid, k, 8')} % 120000 AS BIGINT)) AS ts,
        CASE WHEN k = 0 THEN 'page_view' ELSE ['page_view', 'page_view', 'page_view', 'page_view', '$scroll_depth', '$click', 'signup',
          'purchase', 'search', 'add_to_cart'][CAST(1 + ${h('sid, k, 9')} % 10 AS BIGINT)] END AS event,
        '/p' || CAST(floor(200 * pow((${h('sid, k, 10')} % 1000000) / 1000000.0, 2)) AS INTEGER) AS path,
        'cat' || CAST(${h('sid, k, 11')} % 20 AS VARCHAR) AS category,
        CASE WHEN k = 0 THEN ['https://www.google.com/', 'https://t.co/x', '', ''][CAST(1 + ${h('sid, 5')} % 4 AS BIGINT)] END AS referrer
      FROM s, range(len) r(k)
    )
    SELECT '${PROJECT.projectId}' AS project_id, ts, CAST(epoch_ms(ts) AS DATE) AS date, ${now} AS received_at, event,
      CASE WHEN anon THEN NULL ELSE 'user_' || uid END AS user_id, 'sess_' || sid AS session_id,
      path, 'https://shop.example' || path AS url, 'shop.example' AS hostname, referrer,
      CASE WHEN referrer LIKE '%google%' THEN 'www.google.com' WHEN referrer LIKE '%t.co%' THEN 't.co' END AS referrer_domain,
      'Shop ' || path AS title, NULL AS utm_source, NULL AS utm_medium, NULL AS utm_campaign, NULL AS utm_content, NULL AS utm_term,
      ['Chrome', 'Safari', 'Firefox'][CAST(1 + uid % 3 AS BIGINT)] AS browser, NULL AS browser_version,
      ['macOS', 'Windows', 'iOS', 'Android'][CAST(1 + uid % 4 AS BIGINT)] AS os, ['desktop', 'mobile'][CAST(1 + uid % 2 AS BIGINT)] AS device,
      ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA'][CAST(1 + uid % 8 AS BIGINT)] AS country, 'en-US' AS language, '1920x1080' AS screen,
      to_json({path: path, url: 'https://shop.example' || path, title: 'Shop ' || path, category: category, referrer: referrer,
        plan: CASE WHEN event IN ('signup', 'purchase') THEN ['free', 'pro', 'team'][CAST(1 + uid % 3 AS BIGINT)] END,
        price: CASE WHEN event = 'purchase' THEN CAST(${h('sid, k, 12')} % 200 AS INTEGER) END,
        item_id: CASE WHEN event = 'purchase' THEN 'item' || CAST(${h('sid, k, 13')} % 5000 AS VARCHAR) END})::VARCHAR AS properties
    FROM e ORDER BY ${h('sid, k, 99')} LIMIT ${n})`);
  await conn.run('CHECKPOINT');
  conn.closeSync();
  db.closeSync();
  const loadSec = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const s2 = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
  await s2.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] });
  await s2.close();
  process.stdout.write(`${JSON.stringify({ events: n, users, sessions, loadSec, foldSec: (performance.now() - t1) / 1000 })}\n`);
}

async function time(file: string, runs: number, skip: string[]): Promise<void> {
  const { readContext } = await import('../src/query/run.js');
  const { statsReport } = await import('../src/reports/stats.js');
  const { eventsReport } = await import('../src/reports/events.js');
  const { propertiesReport, propertiesReceivedReport } = await import('../src/reports/properties.js');
  const { breakdownReport } = await import('../src/reports/breakdown.js');
  const { pagesReport } = await import('../src/reports/pages.js');
  const { heatmapReport } = await import('../src/reports/heatmap.js');
  const { insightsReport } = await import('../src/reports/insights.js');
  const { queryReport } = await import('../src/reports/query.js');
  const { sessionsReport, distributionReport } = await import('../src/reports/sessions.js');
  const { funnelReport } = await import('../src/reports/funnel.js');
  const { retentionReport } = await import('../src/reports/retention.js');
  const p = PROJECT;
  const t0 = performance.now();
  const store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 } as { rollupFoldMs: number });
  await store.migrate();
  // This checkout's layout step, when it has one (the base checkout has none): run it before timing.
  const maintain = (store as unknown as { recluster?: () => Promise<unknown> }).recluster;
  const openSec = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const layout = maintain ? await maintain.call(store) : null;
  const layoutSec = (performance.now() - t1) / 1000;
  const ctx = () => readContext(store, -1, Date.now());
  const none = { since: undefined, limit: undefined };
  const REPORTS: Record<string, () => Promise<unknown>> = {
    stats: () => statsReport(ctx(), { ...p, since: undefined, groupBy: 'day' }),
    events: () => eventsReport(ctx(), { ...p, since: undefined, limit: undefined }),
    properties: () => propertiesReport(ctx(), { ...p, since: undefined }),
    'properties/received': () => propertiesReceivedReport(ctx(), { ...p, since: undefined, sample: undefined }),
    'breakdown path': () => breakdownReport(ctx(), { ...p, ...none, property: 'path', event: undefined }),
    'breakdown category (JSON)': () => breakdownReport(ctx(), { ...p, ...none, property: 'category', event: undefined }),
    'breakdown path 30d': () => breakdownReport(ctx(), { ...p, property: 'path', event: undefined, since: '30d', limit: 10 }),
    pages: () => pagesReport(ctx(), { ...p, type: undefined, ...none }),
    heatmap: () => heatmapReport(ctx(), { ...p, since: undefined }),
    insights: () => insightsReport(ctx(), { ...p, period: undefined }),
    query: () => queryReport(ctx(), { ...p, body: { project: p.project } }),
    sessions: () => sessionsReport(ctx(), { ...p, ...none, user_id: undefined, is_bounce: undefined }),
    distribution: () => distributionReport(ctx(), { ...p, since: undefined }),
    funnel: () => funnelReport(ctx(), { ...p, body: { project: p.project, steps: [{ event: 'page_view' }, { event: 'signup' }, { event: 'purchase' }] } }),
    retention: () => retentionReport(ctx(), { ...p, period: undefined, cohorts: undefined, event: undefined, returning_event: undefined }),
  };
  const out: Record<string, number[]> = {};
  const answers: Record<string, string> = {};
  for (const [name, fn] of Object.entries(REPORTS)) {
    if (skip.includes(name)) continue;
    answers[name] = JSON.stringify(await fn()).length.toString(); // warm-up; the answer's size as a cheap check
    await fn();
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      xs.push(performance.now() - t);
    }
    out[name] = xs;
  }
  await store.close();
  const rss = Math.round(Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)![1]) / 1024);
  process.stdout.write(`${JSON.stringify({ openSec, layoutSec, layout, rss, out, answers })}\n`);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function pair(dir: string, base: string, rounds: number, runs: number): Promise<void> {
  const src = join(dir, 'events.duckdb');
  const copies = { base: join(dir, 'base.duckdb'), new: join(dir, 'new.duckdb') };
  for (const f of Object.values(copies)) { rmSync(`${f}.wal`, { force: true }); copyFileSync(src, f); }
  const scripts = { base: join(base, 'bench/duck-layout.ts'), new: join(import.meta.dirname, 'duck-layout.ts') };
  if (!existsSync(scripts.base)) copyFileSync(scripts.new, scripts.base);
  const all: Record<'base' | 'new', Record<string, number[]>> = { base: {}, new: {} };
  const meta: Record<string, unknown>[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const v of (r % 2 === 0 ? ['base', 'new'] : ['new', 'base']) as ('base' | 'new')[]) {
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      const res = JSON.parse(execFileSync('npx', ['tsx', scripts[v], 'time', copies[v], String(runs)], { cwd: v === 'base' ? base : join(import.meta.dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop()!);
      meta.push({ round: r, v, load, rss: res.rss, layoutSec: res.layoutSec, layout: res.layout });
      process.stderr.write(`${JSON.stringify(meta[meta.length - 1])}\n`);
      for (const [k, xs] of Object.entries(res.out as Record<string, number[]>)) (all[v][k] ??= []).push(...xs);
      for (const [k, size] of Object.entries(res.answers as Record<string, string>)) if (v === 'new' && all.base[k] && r === 0) process.stderr.write(`  answer size ${k}: ${size}\n`);
    }
  }
  const lines = ['| report | before p50 / p95 ms | after p50 / p95 ms |', '| --- | --- | --- |'];
  for (const k of Object.keys(all.new)) {
    const b = all.base[k] ?? [];
    const n = all.new[k];
    lines.push(`| ${k} | ${b.length ? `${pct(b, 50).toFixed(0)} / ${pct(b, 95).toFixed(0)}` : '—'} | ${pct(n, 50).toFixed(0)} / ${pct(n, 95).toFixed(0)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const [mode, a, b, c, d] = process.argv.slice(2);
if (mode === 'gen') await gen(a, Number(b));
else if (mode === 'gen-sql') await genSql(a, Number(b));
else if (mode === 'time') await time(a, Number(b), (c ?? '').split(',').filter(Boolean));
else if (mode === 'pair') await pair(a, b, Number(c), Number(d));
else throw new Error('usage: duck-layout.ts gen <dir> <events> | time <file> <runs> | pair <dir> <base checkout> <rounds> <runs>');
