// The experiment SQL is engine-neutral: the same attribution fixture gives the same counts on DuckDB
// and on ClickHouse (chdb in-process), through each EventStore's own query().
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { variantCounts } from '../../src/experiments/results.js';
import { openChdbClient } from '../../src/store/clickhouse/connect.js';
import { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventStore, Experiment } from '../../src/store/ports.js';
import { ATTRIBUTION_EXPECTED, attributionRows, exposure } from './rows.js';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

const C = Date.UTC(2025, 5, 1, 12);
const EXP: Experiment = {
  id: 'exp_fixture', project_id: 'proj_p', account_id: 'acc_a', name: 'hero', goal_event: 'signup',
  variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], status: 'active', winner: null,
  created_at: new Date(C).toISOString(), updated_at: new Date(C).toISOString(), completed_at: null,
};

async function check(store: EventStore) {
  await store.migrate();
  await store.insert(attributionRows(EXP.project_id, 'proj_other', C));
  assert.deepEqual(await variantCounts(store, EXP), ATTRIBUTION_EXPECTED);
  // Quotes in names travel as bound values on this engine too.
  const quoted = { ...EXP, project_id: 'proj_q', name: "it's", variants: [{ key: 'x', weight: 50 }, { key: "y'", weight: 50 }] };
  await store.insert([exposure('proj_q', "it's", "y'", C + 1, 'q')]);
  assert.deepEqual(await variantCounts(store, quoted), [
    { key: 'x', exposures: 0, unique_users: 0, conversions: 0 },
    { key: "y'", exposures: 1, unique_users: 1, conversions: 0 },
  ]);
}

test('DuckDB', async () => {
  const store = await DuckDbEventStore.open(':memory:');
  closers.push(() => store.close());
  await check(store);
});

test('ClickHouse (chdb)', async () => {
  const database = `aa_exp_${randomBytes(4).toString('hex')}`;
  const client = await openChdbClient(':memory:', database);
  const store = new ClickHouseEventStore(client, { database, cluster: null });
  closers.push(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await store.close();
  });
  await check(store);
});
