// `tsx bench/ingest-profile.ts [track|batch]`: main-thread cost of ingestion. Starts the real server under
// `node --cpu-prof`, loads /track (or /track/batch, 100 events per request) with autocannon for
// PROFILE_SECONDS (8), stops it, and prints busy main-thread µs per request (and per event), with the
// self time grouped by where it goes (HTTP/Fastify, JSON, validation, journal, fold, GC, …) and the top frames.
// PROFILE_ROOT=/path/to/other/checkout profiles that checkout's server instead (a before/after pair).
// PROFILE_TOP (25) frames are listed; PROFILE_CALLERS=1 also names the callers of native (anonymous) frames.
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODE = process.argv[2] === 'batch' ? 'batch' : 'track';
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);
const KEY = `aak_${'0'.repeat(47)}7`;
const HEADERS = { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', origin: 'https://shop.example' };

const event = (token: string, i = 0) => ({
  token, event: 'page_view', user_id: `anon_${i % 50}`, session_id: `sess_${i % 200}`, timestamp: Date.now(),
  properties: { path: '/pricing', url: 'https://shop.example/pricing?utm_source=newsletter', hostname: 'shop.example', title: 'Pricing — Shop', referrer: 'https://www.google.com/', utm_source: 'newsletter', utm_medium: 'email', language: 'en-US', screen: '1920x1080' },
});

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'aa-prof-'));
const profDir = join(dir, 'prof');
const spawnedAt = performance.now();
const child = fork(join(process.env.PROFILE_ROOT ? join(process.env.PROFILE_ROOT, 'bench') : import.meta.dirname, 'ingest-server.ts'), [], {
  execArgv: ['--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${profDir}`],
  env: { ...process.env, AA_DATA_DIR: join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0' },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
await new Promise((r) => child.once('message', r));
const base = `http://127.0.0.1:${port}`;
const created = await fetch(`${base}/projects`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'prof', allowed_origins: 'https://shop.example' }) });
const { project_token: token } = await created.json() as { project_token: string };
const body = MODE === 'batch' ? JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => event(token, i)) }) : JSON.stringify(event(token));
// Let start-up work (tracker.js build and compression) finish; only the load window is counted below.
await new Promise((res) => setTimeout(res, 4000));
const loadFrom = (performance.now() - spawnedAt) * 1000;
const r = await autocannon({ url: `${base}/track${MODE === 'batch' ? '/batch' : ''}`, method: 'POST', headers: HEADERS, body, connections: MODE === 'batch' ? 16 : 50, duration: SECONDS });
const loadTo = (performance.now() - spawnedAt) * 1000;
// The profile starts after the child's boot, so its clock runs behind ours: idle a while before stopping, so
// the window never reaches into the shutdown (closing DuckDB).
await new Promise((res) => setTimeout(res, 3000));
await new Promise((res) => {
  child.once('exit', res);
  child.kill('SIGTERM');
});

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const prof = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
rmSync(dir, { recursive: true, force: true });

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
// Samples by time since the profile started (≈ the spawn; the first sample is late by the boot, so this
// window errs towards including a little shutdown rather than start-up).
let at = 0;
prof.samples.forEach((id, i) => {
  at += prof.timeDeltas[i] ?? 0;
  if (at >= loadFrom && at <= loadTo) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (n: Node): string => {
  const { functionName: f, url } = n.callFrame;
  if (f === '(idle)') return 'idle';
  if (f === '(garbage collector)') return 'GC';
  if (f === '(program)') return 'V8/native (program)';
  if (/JSON|parse|stringify/.test(f) && !url) return 'JSON';
  if (/src\/ingest\/(journal-writer|folder)|src\/store\/journal/.test(url)) return 'journal + folder';
  if (/src\/store\/duckdb|@duckdb/.test(url)) return 'DuckDB (main thread)';
  if (/src\/ingest\/(validate|client|bot)/.test(url)) return 'validation, bot, client';
  if (/src\/ingest\/(enrich|ulid|identities)/.test(url)) return 'enrich, ids';
  if (/src\/ingest|src\/http\/routes\/track/.test(url)) return 'ingest pipeline';
  if (/fastify|avvio|find-my-way|light-my-request|pino/.test(url)) return 'Fastify, pino';
  if (/src\/http|src\/app/.test(url)) return 'our HTTP hooks';
  if (/node:_http|node:net|node:stream|node:internal\/(streams|http)|_http_/.test(url) || /writev|write/.test(f)) return 'node:http, sockets';
  return 'other';
};
const groups = new Map<string, number>();
const frames = new Map<string, number>();
const callers = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  groups.set(where(n), (groups.get(where(n)) ?? 0) + us);
  const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber}`;
  frames.set(name, (frames.get(name) ?? 0) + us);
  if (process.env.PROFILE_CALLERS && n.callFrame.functionName === '' && n.callFrame.url === '') {
    const parent = prof.nodes.find((x) => x.children?.includes(id));
    const caller = parent ? `${parent.callFrame.functionName || '(anonymous)'} ${parent.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${parent.callFrame.lineNumber}` : '?';
    callers.set(caller, (callers.get(caller) ?? 0) + us);
  }
}
const busy = total - (groups.get('idle') ?? 0);
const requests = r.requests.total;
const events = MODE === 'batch' ? requests * 100 : requests;
console.log(`${MODE}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, ${requests} requests, ${r.non2xx} non-2xx; profile ${(total / 1e6).toFixed(1)} s, main thread busy ${((100 * busy) / total).toFixed(0)} %`);
console.log(`busy main-thread time per request: ${(busy / requests).toFixed(1)} µs${MODE === 'batch' ? `; per event: ${(busy / events).toFixed(2)} µs` : ''}`);
console.log('\n| where | share of busy time |\n| --- | --- |');
for (const [g, us] of [...groups].filter(([g]) => g !== 'idle').sort((a, b) => b[1] - a[1])) console.log(`| ${g} | ${((100 * us) / busy).toFixed(1)} % |`);
console.log('\ntop frames (self time, % of busy):');
for (const [f, us] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 25))) if (!f.startsWith('(idle)')) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${f}`);
if (process.env.PROFILE_CALLERS) {
  console.log('\ncallers of native (anonymous) frames (% of busy):');
  for (const [f, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${f}`);
}
