// The conformance suite, unchanged, on ClickHouse: the real engine in-process (chdb) as
// @clickhouse/client's connection, with the production insert and read settings (no FINAL). Every batch is
// inserted twice (retriedBatches) and background merges are stopped while the main dataset is read, so the
// answers prove exactly-once storage in events and rollups on unmerged parts, not after merges tidied up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openChdbClient, openClickHouseEventStore } from '../../src/store/clickhouse/connect.js';
import { runConformance } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-conf-ch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let opened = 0;
runConformance('clickhouse', async () => {
  const path = join(dir, 'clickhouse');
  const store = await openClickHouseEventStore(`chdb:${path}?database=conformance`);
  await store.migrate();
  // The first store serves the main dataset: no merges. Later ones (identify, purge) need mutations, which merge.
  const admin = await openChdbClient(path, 'conformance');
  await admin.command({ query: opened++ === 0 ? 'SYSTEM STOP MERGES' : 'SYSTEM START MERGES' });
  return store;
}, { retriedBatches: true });
