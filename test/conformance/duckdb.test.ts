// The conformance suite on the embedded engine: a real DuckDB file in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { runConformance } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));
runConformance('duckdb', async () => {
  const store = await DuckDbEventStore.open(join(dir, 'events.duckdb'));
  await store.migrate();
  return store;
});
