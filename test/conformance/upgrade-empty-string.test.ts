// Upgrading an install whose ingestion stored `""` as NULL in the promoted columns: the migration copies
// the empty string back from the properties JSON, on DuckDB (migration 5) and ClickHouse (migration 2), so
// direct traffic of the past shows up as "" like new events do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { breakdownReport } from '../../src/reports/breakdown.js';
import { readContext } from '../../src/query/run.js';
import { openChdbClient } from '../../src/store/clickhouse/connect.js';
import { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventRow, EventStore } from '../../src/store/ports.js';
import { eventRows } from '../helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-upgrade-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2026-03-09T12:00:00Z');
const P = 'proj_upgrade';

/** Rows as the previous ingestion stored them: "" became NULL in the promoted columns, the JSON kept it. */
function oldRows(): EventRow[] {
  const rows = eventRows(P, [
    { ts: '2026-03-05T10:00:00Z', event: 'page_view', user: 'u1', session: 's1', props: { path: '/', referrer: '', utm_source: '' } },
    { ts: '2026-03-05T11:00:00Z', event: 'page_view', user: 'u2', session: 's2', props: { path: '/', referrer: 'https://google.com/' } },
    { ts: '2026-03-05T12:00:00Z', event: 'page_view', user: 'u3', session: 's3', props: { path: '/', title: { not: 'a string' } } },
  ]);
  for (const r of rows) for (const c of ['referrer', 'utm_source'] as const) if (r[c] === '') r[c] = null;
  return rows;
}

async function referrers(store: EventStore) {
  const ctx = readContext(store, -1, NOW);
  const r = await breakdownReport(ctx, { projectId: P, project: 'p', property: 'referrer', event: undefined, since: '7d', limit: undefined });
  const u = await breakdownReport(ctx, { projectId: P, project: 'p', property: 'utm_source', event: undefined, since: '7d', limit: undefined });
  return { referrer: r.values.map((v) => [v.value, v.count]), utm_source: u.values.map((v) => [v.value, v.count]) };
}

const before = { referrer: [['https://google.com/', 1]], utm_source: [] };
const upgraded = { referrer: [['', 1], ['https://google.com/', 1]], utm_source: [['', 1]] };

test('DuckDB migration 5 backfills "" from the properties JSON', async () => {
  const file = join(dir, 'events.duckdb');
  let store = await DuckDbEventStore.open(file);
  await store.migrate();
  await store.insert(oldRows());
  await store.close();
  // Back to the schema version before the backfill, as an install of the previous release is.
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  await conn.run('DELETE FROM schema_migrations WHERE version >= 5');
  conn.closeSync();
  db.closeSync();

  store = await DuckDbEventStore.open(file);
  try {
    assert.deepEqual(await referrers(store), before);
    await store.migrate();
    assert.deepEqual(await referrers(store), upgraded);
    await store.migrate(); // idempotent
    assert.deepEqual(await referrers(store), upgraded);
  } finally {
    await store.close();
  }
});

test('ClickHouse migration 2 backfills "" from the properties JSON', async () => {
  const client = await openChdbClient(join(dir, 'clickhouse'), 'upgrade');
  const store = new ClickHouseEventStore(client, { database: 'upgrade', cluster: null });
  try {
    await store.migrate();
    await store.insert(oldRows());
    await client.command({ query: 'ALTER TABLE upgrade.schema_migrations DELETE WHERE version >= 2', clickhouse_settings: { mutations_sync: '2' } });
    assert.deepEqual(await referrers(store), before);
    await store.migrate();
    assert.deepEqual(await referrers(store), upgraded);
  } finally {
    await store.close();
  }
});
