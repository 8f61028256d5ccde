// 1 M events exported over a real socket in constant memory: the rows are seeded with one bulk SQL insert
// (DuckDB range()), the response is read as it streams, and RSS is sampled throughout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, type IncomingMessage } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app.js';

const N = 1_000_000;
let t: TestApp;
let base: string;

before(async () => {
  t = await startTestApp();
  const p = await t.newProject(t.ownerKey, 'big');
  const start = Date.parse('2025-01-01T00:00:00Z');
  await t.stores.events.query({
    sql: `INSERT INTO events (id, project_id, ts, date, received_at, event, user_id, session_id, path, url, hostname, referrer, title, browser, os, device, country, properties)
      SELECT printf('01BULK%020d', i), $1, $2 + i * 1000, CAST(to_timestamp(($2 + i * 1000) / 1000) AS DATE), $2 + i * 1000, 'page_view',
        'user' || (i % 5000), 'sess' || (i % 20000), '/page/' || (i % 300), 'https://example.com/page/' || (i % 300), 'example.com',
        'https://google.com/', 'Title of page ' || (i % 300), 'Chrome', 'macOS', 'desktop', 'DE',
        '{"path":"/page/' || (i % 300) || '","n":' || i || '}'
      FROM range(${N}) r(i)`,
    params: [p.id, start],
  });
  base = await t.listen();
});
after(() => t.close());

test(`export of ${N} events streams in constant memory`, async () => {
  global.gc?.();
  const js = () => { const m = process.memoryUsage(); return m.heapUsed + m.external + m.arrayBuffers; };
  const baseline = process.memoryUsage().rss;
  const jsBaseline = js();
  let peak = baseline;
  let jsPeak = jsBaseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    jsPeak = Math.max(jsPeak, js());
  }, 20);
  const started = performance.now();
  // node:http, not fetch: undici's body buffering would be measured along with the server.
  const res = await new Promise<IncomingMessage>((resolve, reject) => get(`${base}/export?project=big`, { headers: { 'x-api-key': t.ownerKey } }, resolve).on('error', reject));
  assert.equal(res.statusCode, 200);
  let lines = 0;
  let bytes = 0;
  let tail = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    tail = chunk.subarray(-200).toString();
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const growthMb = (peak - baseline) / 1048576;
  const jsGrowthMb = (jsPeak - jsBaseline) / 1048576;
  process.stdout.write(`# exported ${lines} rows, ${(bytes / 1048576).toFixed(0)} MB in ${seconds.toFixed(1)} s (${Math.round(lines / seconds)} rows/s); RSS growth ${growthMb.toFixed(0)} MB, JS heap+buffers growth ${jsGrowthMb.toFixed(0)} MB\n`);
  assert.equal(lines, N);
  assert.match(tail, /"n":999999\}\}\n$/);
  // The export is ~570 MB. The server holds one day's file chunk at a time; what grows is uncollected garbage
  // (chunks already sent) and DuckDB's own buffers (its writer, the blocks it read; evictable under memory_limit).
  // Holding the export, or its rows as objects, would exceed these bounds several times over.
  assert.ok(jsGrowthMb < 192, `JS memory grew ${jsGrowthMb.toFixed(0)} MB while exporting ${(bytes / 1048576).toFixed(0)} MB`);
  assert.ok(growthMb < 320, `RSS grew ${growthMb.toFixed(0)} MB while exporting ${(bytes / 1048576).toFixed(0)} MB`);
});
