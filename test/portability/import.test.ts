// POST /import on a real app: our own three formats round-trip losslessly (export → import → export), a re-run
// stores nothing twice, malformed files name the line and import nothing (unless skip_invalid), quotas hold,
// and a job a restart cut off reports it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { edgeCaseRows } from './dataset.js';
import { upload } from './upload.js';

let t: TestApp;

before(async () => {
  t = await startTestApp();
  const p = await t.newProject(t.ownerKey, 'source');
  await t.stores.events.insert(edgeCaseRows(p.id));
});
after(() => t.close());


const exported = async (project: string, format = 'ndjson') =>
  (await t.app.inject({ method: 'GET', url: `/export?project=${project}&format=${format}`, headers: { 'x-api-key': t.ownerKey } })).rawPayload;

describe('import of our own export formats', () => {
  for (const format of ['ndjson', 'csv', 'parquet'] as const) {
    test(`${format}: export → import → export is identical, and a re-run stores nothing twice`, async () => {
      await t.newProject(t.ownerKey, `copy-${format}`);
      const file = await exported('source', format);
      const { res, job } = await upload(t, `project=copy-${format}&format=${format}&filename=events.${format}`, file);
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().job.status, 'queued');
      assert.equal(job.status, 'done', JSON.stringify(job));
      assert.deepEqual({ read: job.rows_read, imported: job.rows_imported, skipped: job.rows_skipped, filename: job.filename }, { read: 6, imported: 6, skipped: 0, filename: `events.${format}` });
      // Byte for byte in the same format; Parquet files carry writer metadata, so they are compared as NDJSON.
      if (format === 'parquet') assert.equal((await exported(`copy-${format}`)).toString(), (await exported('source')).toString());
      else assert.equal((await exported(`copy-${format}`, format)).toString(), file.toString());
      const again = (await upload(t, `project=copy-${format}&format=${format}`, file)).job;
      assert.deepEqual({ status: again.status, imported: again.rows_imported, skipped: again.skipped }, { status: 'done', imported: 0, skipped: { duplicate: 6 } });
    });
  }

  test('imported history keeps its timestamps and shows in reports', async () => {
    const stats = (await t.request('GET', '/stats?project=copy-ndjson&since=500d')).json();
    assert.equal(stats.totals.total_events, 6);
    const events = (await t.request('GET', '/events?project=copy-ndjson&since=500d&limit=10')).json().events;
    const source = (await t.request('GET', '/events?project=source&since=500d&limit=10')).json().events;
    assert.deepEqual(events.map((e: { timestamp: number; id: string }) => [e.timestamp, e.id]), source.map((e: { timestamp: number; id: string }) => [e.timestamp, e.id]));
  });
});

describe('malformed files', () => {
  const good = (i: number) => JSON.stringify({ id: `01HZZZZZZZZZZZZZZZZZZZZZ${String(i).padStart(2, '0')}`, timestamp: Date.parse('2024-06-01T00:00:00Z') + i, event: 'page_view', properties: { path: `/${i}` } });
  const file = [good(1), good(2), '{"timestamp": 1, "event": ', good(4), JSON.stringify({ timestamp: 'yesterday', event: 'x' })].join('\n');

  test('a bad line fails the job with its line number and imports nothing', async () => {
    await t.newProject(t.ownerKey, 'strict');
    const { job } = await upload(t, 'project=strict&format=ndjson', file);
    assert.equal(job.status, 'failed');
    assert.match(job.error, /^line 3: not valid JSON .* nothing was imported; .*skip_invalid=1/);
    assert.equal(job.rows_imported, 0);
    assert.equal((await t.request('GET', '/stats?project=strict&since=1000d')).json().totals.total_events, 0);
  });

  test('skip_invalid imports the valid rows and reports the others with their reasons', async () => {
    await t.newProject(t.ownerKey, 'lenient');
    const { job } = await upload(t, 'project=lenient&format=ndjson&skip_invalid=1', file);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual({ read: job.rows_read, imported: job.rows_imported, skipped: job.skipped }, { read: 5, imported: 3, skipped: { invalid: 2 } });
    assert.match(job.examples[0], /^line 3: not valid JSON/);
    assert.match(job.examples[1], /^line 5: timestamp must be epoch milliseconds/);
  });

  test('a CSV with a foreign header names it on line 1', async () => {
    await t.newProject(t.ownerKey, 'csvbad');
    const { job } = await upload(t, 'project=csvbad&format=csv', 'when,what\n1,x\n');
    assert.equal(job.status, 'failed');
    assert.match(job.error, /^line 1: the header lacks timestamp, event/);
    const unclosed = await upload(t, 'project=csvbad&format=csv', 'timestamp,event\n1700000000000,"open\n');
    assert.match(unclosed.job.error, /^line 2: a quoted field is never closed/);
    const notParquet = await upload(t, 'project=csvbad&format=parquet', 'PAR? no');
    assert.match(notParquet.job.error, /not a readable Parquet file/);
  });
});

describe('POST /import requests', () => {
  test('bad input is a 4xx that says how to fix it', async () => {
    const cases: [string, string | Buffer, string | null, number, RegExp][] = [
      ['project=source', 'x', t.ownerKey, 400, /format is required/],
      ['project=source&format=xml', 'x', t.ownerKey, 400, /format must be one of: ndjson, csv, parquet, umami-csv, aa-sqlite, plausible-csv/],
      ['project=source&format=ndjson', '', t.ownerKey, 400, /request body is empty/],
      ['project=nope&format=ndjson', 'x', t.ownerKey, 404, /./],
      ['project=source&format=ndjson', 'x', null, 401, /API key required/],
    ];
    for (const [query, body, key, status, re] of cases) {
      const res = await t.app.inject({ method: 'POST', url: `/import?${query}`, headers: { ...(key ? { 'x-api-key': key } : {}), 'content-type': 'text/plain' }, payload: body });
      assert.equal(res.statusCode, status, `${query}: ${res.body}`);
      assert.match(res.json().message, re);
    }
    assert.equal((await t.request('GET', '/import/imp_nope')).statusCode, 404);
  });

  test('another account cannot see the job', async () => {
    const { res } = await upload(t, 'project=source&format=ndjson', await exported('source'));
    const key = await t.newAccount('pro');
    assert.equal((await t.request('GET', `/import/${res.json().job.id}`, undefined, key)).statusCode, 404);
  });

  test('events before the account\'s retention floor are left out and counted', async () => {
    const key = await t.newAccount('free'); // 90 days
    await t.newProject(key, 'recent');
    const { job } = await upload(t, 'project=recent&format=ndjson', await exported('source'), key);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual({ imported: job.rows_imported, skipped: job.skipped }, { imported: 5, skipped: { older_than_retention: 1 } });
  });

  test('quotas hold: a file past the lifetime cap imports nothing', async () => {
    const key = await t.newAccount('free'); // 1000 events lifetime
    await t.newProject(key, 'capped');
    const lines = Array.from({ length: 1001 }, (_, i) => JSON.stringify({ timestamp: Date.now() - 10 * 86_400_000 + i, event: 'e' })).join('\n');
    const { job } = await upload(t, 'project=capped&format=ndjson', lines, key);
    assert.equal(job.status, 'failed');
    assert.match(job.error, /lifetime event limit of 1000 events .* nothing was imported/);
    assert.equal(job.rows_imported, 0);
  });
});

test('a job cut off by a restart reports it after the restart', async () => {
  const dir = t.dir;
  const meta = t.stores.meta;
  const [account] = await meta.listAccounts();
  const project = (await meta.listProjects(account.id))[0];
  const now = new Date().toISOString();
  await meta.createImportJob({
    id: 'imp_cut', account_id: account.id, project_id: project.id, format: 'ndjson', filename: 'big.ndjson', options: { skip_invalid: false, source_project: null },
    status: 'running', rows_read: 5000, rows_imported: 3000, rows_skipped: 0, skipped: {}, examples: [], error: null, created_at: now, updated_at: now, finished_at: null,
  });
  await t.app.close();
  const { closeStores } = await import('../../src/stores.js');
  await closeStores(t.stores);
  t = await startTestApp({}, { dir });
  const job = (await t.request('GET', '/import/imp_cut')).json().job;
  assert.equal(job.status, 'failed');
  assert.match(job.error, /interrupted by a server restart after 3000 .* upload the file again: .* skipped as duplicates/);
});
