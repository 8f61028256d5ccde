// Cluster mode's meaning of "acknowledged" (docs/cluster.md#acknowledgement-without-a-journal): with
// ClickHouse as the event store there is no replica-local journal; a 202 is sent only once ClickHouse
// has the rows, so a replica whose disk is lost loses nothing that was acknowledged. On chdb.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from '../ingest/helpers.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ AA_EVENTS_URL: 'chdb::memory:?database=aa_ack_ch', AA_FOLD_MS: '600000' });
});
after(() => t?.close());

test('a 202 on ClickHouse means the rows are in ClickHouse, and the replica keeps no journal', async () => {
  assert.equal(t.stores.events.engine, 'clickhouse');
  assert.equal(t.stores.events.journal, undefined, 'the ClickHouse store does not fold a journal');
  const { project_token: token, id } = await t.newProject(t.ownerKey, 'ack-ch');
  const res = await post(t, '/track/batch', { token, events: [{ event: 'a', properties: { n: 1 } }, { event: 'b', properties: { n: 2 } }] });
  assert.equal(res.statusCode, 202, res.body);
  // Straight to the engine, no read barrier in between (a 10-minute fold interval would hide a journal).
  const rows = await t.stores.events.query<{ n: number }>({ sql: 'SELECT count() AS n FROM events WHERE project_id = $1', params: [id] });
  assert.equal(Number(rows[0].n), 2);
  assert.equal(existsSync(join(t.dir, 'journal')), false, 'nothing acknowledged lives only on this replica\'s disk');
});
