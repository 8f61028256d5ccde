// GET /export on a real app: every format carries every field exactly (unicode, nulls vs empty strings, large
// properties), in (timestamp, id) order; the retention floor of the planner applies; gzip both ways; bad input.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { readCsv } from '../../src/portability/csv.js';
import { EXPORT_FIELDS } from '../../src/query/sql/export.js';
import { Readable } from 'node:stream';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { asExported, edgeCaseRows } from './dataset.js';
import type { EventRow } from '../../src/store/ports.js';

async function csvObjects(text: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let header: (string | null)[] | null = null;
  for await (const r of readCsv(Readable.from([text]))) {
    if (!header) header = r.fields;
    else out.push(Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));
  }
  return out.map((o) => ({ ...o, timestamp: Number(o.timestamp), received_at: Number(o.received_at), properties: o.properties === null ? null : JSON.parse(o.properties as string) }));
}

for (const [engine, env] of [['DuckDB', {}], ['ClickHouse (chdb)', { AA_EVENTS_URL: 'chdb:' }]] as const) {
describe(`GET /export on ${engine}`, () => {
let t: TestApp;
let rows: EventRow[];

before(async () => {
  t = await startTestApp(env);
  const p = await t.newProject(t.ownerKey, 'shop');
  rows = edgeCaseRows(p.id);
  await t.stores.events.insert(rows);
  const other = await t.newProject(t.ownerKey, 'other');
  await t.stores.events.insert(edgeCaseRows(other.id).slice(0, 2));
});
after(() => t.close());

const expected = () => [...rows].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1)).map(asExported);


  test('ndjson: every field of every event, oldest first, only this project', async () => {
    const res = await t.request('GET', '/export?project=shop');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /application\/x-ndjson/);
    const lines = res.body.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines, expected());
    assert.deepEqual(Object.keys(lines[0]), EXPORT_FIELDS);
    assert.equal(res.headers['x-export-rows'], '6');
  });

  test('csv: a header row, nulls apart from empty strings, multi-line fields', async () => {
    const res = await t.request('GET', '/export?project=shop&format=csv');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.body.split('\n')[0], EXPORT_FIELDS.join(','));
    assert.deepEqual(await csvObjects(res.body), expected());
  });

  test('parquet: written by the engine, read back by DuckDB with every value equal', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/export?project=shop&format=parquet', headers: { 'x-api-key': t.ownerKey } });
    assert.equal(res.statusCode, 200, res.body);
    const file = join(t.dir, 'check.parquet');
    writeFileSync(file, res.rawPayload);
    assert.equal(res.rawPayload.subarray(0, 4).toString(), 'PAR1');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const read = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    conn.closeSync();
    db.closeSync();
    const got = read.map((r) => ({ ...r, timestamp: Number(r.timestamp), received_at: Number(r.received_at), properties: r.properties === null ? null : JSON.parse(String(r.properties)) }));
    assert.deepEqual(got, expected());
  });

  test('gzip=1 gives a .gz file; Accept-Encoding: gzip compresses the transfer', async () => {
    const file = await t.app.inject({ method: 'GET', url: '/export?project=shop&gzip=1', headers: { 'x-api-key': t.ownerKey } });
    assert.equal(file.headers['content-type'], 'application/gzip');
    assert.match(String(file.headers['content-disposition']), /shop-1970-01-01\.ndjson\.gz/);
    const plain = gunzipSync(file.rawPayload).toString('utf8');
    assert.deepEqual(plain.trimEnd().split('\n').map((l) => JSON.parse(l)), expected());
    const enc = await t.app.inject({ method: 'GET', url: '/export?project=shop&format=csv', headers: { 'x-api-key': t.ownerKey, 'accept-encoding': 'gzip' } });
    assert.equal(enc.headers['content-encoding'], 'gzip');
    assert.match(String(enc.headers['content-type']), /text\/csv/);
    assert.deepEqual(await csvObjects(gunzipSync(enc.rawPayload).toString('utf8')), expected());
  });

  test('from/to select dates; the plan\'s retention floor hides older events', async () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = day(rows[3].ts);
    const to = day(rows[4].ts);
    const res = await t.request('GET', `/export?project=shop&from=${from}&to=${to}`);
    assert.deepEqual(res.body.trimEnd().split('\n').map((l) => JSON.parse(l)).map((e) => e.id), [rows[3].id, rows[4].id]);
    // A free account keeps 90 days: the 400-day-old event is never exported, whatever `from` says.
    const key = await t.newAccount('free');
    const p = await t.newProject(key, 'small');
    await t.stores.events.insert(edgeCaseRows(p.id));
    const free = await t.request('GET', '/export?project=small&from=2000-01-01', undefined, key);
    assert.equal(free.statusCode, 200, free.body);
    const floor = day(Date.now() - 90 * 86_400_000);
    assert.equal(free.headers['x-export-from'], floor);
    const names = free.body.trimEnd().split('\n').map((l) => JSON.parse(l).date);
    assert.equal(names.length, 5);
    assert.ok(names.every((d: string) => d >= floor));
  });

  test('bad input: 400 with how to fix it; another account\'s project is 404; no key is 401', async () => {
    for (const [url, re] of [
      ['/export?project=shop&format=xml', /format must be one of: ndjson, csv, parquet/],
      ['/export?project=shop&from=2026-13-01', /from must be a UTC date YYYY-MM-DD/],
      ['/export?project=shop&from=2026-02-02&to=2026-02-01', /before from/],
      ['/export?project=shop&gzip=yes', /gzip must be one of/],
      ['/export', /project/],
    ] as const) {
      const res = await t.request('GET', url);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.match(res.json().message, re);
    }
    const key = await t.newAccount('pro');
    assert.equal((await t.request('GET', '/export?project=shop', undefined, key)).statusCode, 404);
    assert.equal((await t.request('GET', '/export?project=shop', undefined, null)).statusCode, 401);
  });
});
}

test('start-up removes export temp files a crash left behind in <data>/tmp', async () => {
  const { mkdirSync, mkdtempSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(join(tmpdir(), 'aa-export-sweep-'));
  const left = join(dataDir, 'tmp', 'export-abc123');
  mkdirSync(left, { recursive: true });
  writeFileSync(join(left, '0.ndjson'), '{"event":"x"}\n');
  const t = await startTestApp({ AA_DATA_DIR: dataDir });
  try {
    assert.equal(existsSync(left), false);
  } finally {
    await t.close();
  }
});
