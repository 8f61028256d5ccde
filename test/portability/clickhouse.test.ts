// Export, import and backup on the cluster event store (ClickHouse through chdb): the NDJSON round trip is
// lossless, a re-run is all duplicates, and /backup says to use ClickHouse's and PostgreSQL's own tools.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { edgeCaseRows } from './dataset.js';
import { upload } from './upload.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ AA_EVENTS_URL: 'chdb:' });
  const p = await t.newProject(t.ownerKey, 'source');
  await t.stores.events.insert(edgeCaseRows(p.id));
  await t.newProject(t.ownerKey, 'copy');
});
after(() => t.close());

const exported = async (project: string) => (await t.request('GET', `/export?project=${project}`)).body;

test('ClickHouse: export → import → export is identical; a re-run stores nothing twice', async () => {
  const file = await exported('source');
  const { job } = await upload(t, 'project=copy&format=ndjson', file);
  assert.deepEqual([job.status, job.rows_imported], ['done', 6], JSON.stringify(job));
  assert.equal(await exported('copy'), file);
  const again = (await upload(t, 'project=copy&format=ndjson', file)).job;
  assert.deepEqual(again.skipped, { duplicate: 6 });
});

test('ClickHouse: POST /backup points to BACKUP and pg_dump', async () => {
  const res = await t.request('POST', '/backup', { dir: `${t.dir}/b` });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error, 'CLUSTER_BACKUP');
  assert.match(res.json().message, /ClickHouse BACKUP, pg_dump/);
});
