// The embedded store's DuckDB memory limit (AA_DUCKDB_MEMORY_LIMIT): 1 GB unless set, applied to the DuckDB the
// server opens, and a malformed size refused at start with a message naming the variable.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openEventStore } from '../../src/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-memlimit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function memoryLimit(env: Record<string, string>): Promise<string> {
  const config = loadConfig({ AA_DATA_DIR: dir, AA_EVENTS_URL: `duckdb:${join(dir, `${Object.values(env).join('') || 'default'}.duckdb`)}`, ...env });
  const store = await openEventStore(config);
  try {
    const [row] = await store.query<{ limit: string }>({ sql: "SELECT current_setting('memory_limit') AS limit", params: [] });
    return row.limit;
  } finally {
    await store.close();
  }
}

test('DuckDB gets 1 GB unless AA_DUCKDB_MEMORY_LIMIT says otherwise', async () => {
  // DuckDB reports the limit in binary units: 1 GB = 953.6 MiB.
  assert.equal(await memoryLimit({}), '953.6 MiB');
  assert.equal(await memoryLimit({ AA_DUCKDB_MEMORY_LIMIT: '512MB' }), '488.2 MiB');
  assert.equal(await memoryLimit({ AA_DUCKDB_MEMORY_LIMIT: '2GiB' }), '2.0 GiB');
});

test('a malformed AA_DUCKDB_MEMORY_LIMIT is refused at start', () => {
  for (const bad of ['lots', '1 G', '-1GB', '1GB; DROP TABLE events']) {
    assert.throws(() => loadConfig({ AA_DATA_DIR: dir, AA_DUCKDB_MEMORY_LIMIT: bad }), (err: unknown) =>
      err instanceof ConfigError && /AA_DUCKDB_MEMORY_LIMIT must be a size such as 512MB or 2GB/.test(err.message));
  }
});
