// The conformance suite, unchanged, on ClickHouse: the real engine in-process (chdb) as
// @clickhouse/client's connection, with the production insert and read settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openClickHouseEventStore } from '../../src/store/clickhouse/connect.js';
import { runConformance } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-conf-ch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
runConformance('clickhouse', async () => {
  const store = await openClickHouseEventStore(`chdb:${join(dir, 'clickhouse')}?database=conformance`);
  await store.migrate();
  return store;
});
