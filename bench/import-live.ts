// `npx tsx bench/import-live.ts`: does an import block live ingestion? /track latency (sequential requests over
// keep-alive) with no import, then while an NDJSON import of BENCH_IMPORT_ROWS events runs in the same server;
// alternated BENCH_RUNS times so the ratio comes from one machine state. Prints a Markdown table.
import { createWriteStream, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../test/helpers/app.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const BASELINE_MS = 4000;

const dir = mkdtempSync(join(tmpdir(), 'aa-bench-import-'));
const t = await startTestApp({}, { dir });
await t.app.listen({ port: 0, host: '127.0.0.1' });
const port = (t.app.server.address() as AddressInfo).port;
const live = await t.newProject(t.ownerKey, 'live');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function track(i: number): Promise<number> {
  const body = JSON.stringify({ token: live.project_token, event: 'page_view', user_id: `u${i % 100}`, properties: { path: '/p' } });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/track', method: 'POST', agent, headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 bench' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 202 ? resolve(performance.now() - started) : reject(new Error(`track ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function trackWhile(keepGoing: () => boolean): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; keepGoing(); i++) out.push(await track(i));
  return out;
}

async function makeFile(path: string, offset: number): Promise<void> {
  const out = createWriteStream(path);
  const base = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < ROWS; i++) {
    const line = `${JSON.stringify({ timestamp: base + (offset + i) * 1000, event: 'page_view', user_id: `imp${i % 5000}`, session_id: `s${i % 20000}`, properties: { path: `/page/${i % 300}`, referrer: 'https://google.com/' } })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const row = (label: string, xs: number[], extra = '') =>
  `| ${label} | ${xs.length} | ${pct(xs, 50).toFixed(2)} | ${pct(xs, 95).toFixed(2)} | ${pct(xs, 99).toFixed(2)} | ${Math.max(...xs).toFixed(1)} | ${extra} |`;

const lines = ['| run | /track requests | p50 ms | p95 ms | p99 ms | max ms | import |', '| --- | --- | --- | --- | --- | --- | --- |'];
for (let run = 1; run <= RUNS; run++) {
  const file = join(dir, `import-${run}.ndjson`);
  await makeFile(file, run * ROWS);
  const until = Date.now() + BASELINE_MS;
  lines.push(row(`${run}: no import`, await trackWhile(() => Date.now() < until)));
  await t.newProject(t.ownerKey, `target-${run}`);
  const started = performance.now();
  const size = statSync(file).size;
  const res = await fetch(`http://127.0.0.1:${port}/import?project=target-${run}&format=ndjson`, {
    method: 'POST', headers: { 'x-api-key': t.ownerKey, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: createReadStream(file) as never, duplex: 'half',
  } as RequestInit);
  const { job } = (await res.json()) as { job: { id: string } };
  let done = false;
  const finished = t.app.services.imports.idle().then(() => (done = true));
  const during = await trackWhile(() => !done);
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const report = (await t.request('GET', `/import/${job.id}`)).json().job;
  lines.push(row(`${run}: during import`, during, `${report.rows_imported} rows in ${seconds.toFixed(1)} s (${Math.round(report.rows_imported / seconds)} rows/s, upload included), ${report.status}`));
  rmSync(file, { force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
agent.destroy();
await t.close();
rmSync(dir, { recursive: true, force: true });
