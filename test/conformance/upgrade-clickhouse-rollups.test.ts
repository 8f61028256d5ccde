// Upgrading a ClickHouse install of the previous release (schema version 2: no rollups, reads with FINAL) to
// migration 3: its events hold what that release wrote — a batch stored twice and an identify stored as a
// newer version of the rows, neither merged yet. After the migration (views, one merge, backfill) every
// rollup-backed report, read without FINAL, answers exactly as a fresh DuckDB store holding the same events.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readContext } from '../../src/query/run.js';
import { openChdbClient } from '../../src/store/clickhouse/connect.js';
import { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { ROLLUPS } from '../../src/store/clickhouse/rollups.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { EVENT_COLUMNS } from '../../src/store/ports.js';
import { eventRows } from '../helpers/events.js';
import { MAIN, NOW, PROJECTS, RETENTION } from './dataset.js';
import { answers } from './rollup-answers.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-upgrade-rollups-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DB = 'upgrade_rollups';

test('ClickHouse migration 3 builds and backfills the rollups of an existing install', async () => {
  const main = eventRows(PROJECTS.main, MAIN);
  const retention = eventRows(PROJECTS.retention, RETENTION);

  const duck = await DuckDbEventStore.open(join(dir, 'events.duckdb'), { rollupFoldMs: 0 });
  let expected: Awaited<ReturnType<typeof answers>>;
  try {
    await duck.migrate();
    await duck.insert(main);
    await duck.insert(retention);
    await duck.reassignUser(PROJECTS.main, 'u3', 'u1');
    expected = await answers(readContext(duck, -1, NOW));
  } finally {
    await duck.close();
  }

  const client = await openChdbClient(join(dir, 'clickhouse'), DB);
  const store = new ClickHouseEventStore(client, { database: DB, cluster: null });
  try {
    await store.migrate();
    // Back to the previous release's schema: no rollup tables or views, no insert deduplication.
    for (const r of ROLLUPS) {
      await client.command({ query: `DROP VIEW IF EXISTS ${DB}.${r.table}_mv` });
      await client.command({ query: `DROP TABLE IF EXISTS ${DB}.${r.table}` });
    }
    await client.command({ query: `ALTER TABLE ${DB}.events RESET SETTING non_replicated_deduplication_window` });
    await client.command({ query: `ALTER TABLE ${DB}.schema_migrations DELETE WHERE version >= 3`, clickhouse_settings: { mutations_sync: '2' } });

    // What that release wrote, left unmerged: a retried batch stored twice, identify as a newer row version.
    await client.command({ query: `SYSTEM STOP MERGES ${DB}.events` });
    const values = (rows: typeof main) => rows.map((r) => Object.fromEntries(EVENT_COLUMNS.map((c) => [c, r[c] ?? null])));
    for (const rows of [main, main, retention]) await client.insert({ table: `${DB}.events`, values: values(rows), format: 'JSONEachRow' });
    const cols = EVENT_COLUMNS.map((c) => (c === 'user_id' ? "toNullable('u1')" : c)).join(', ');
    await client.command({
      query: `INSERT INTO ${DB}.events (${EVENT_COLUMNS.join(', ')}, _version)
        SELECT ${cols}, 1 FROM ${DB}.events FINAL WHERE project_id = '${PROJECTS.main}' AND user_id = 'u3'`,
    });
    const raw = await client.query({ query: `SELECT count() AS n FROM ${DB}.events WHERE project_id = '${PROJECTS.main}'`, format: 'JSONEachRow' });
    const u3 = main.filter((r) => r.user_id === 'u3').length;
    assert.equal(Number(((await raw.json()) as { n: string }[])[0].n), 2 * main.length + u3, 'the old state is unmerged');
    await client.command({ query: `SYSTEM START MERGES ${DB}.events` });

    await store.migrate();
    assert.deepEqual(await answers(readContext(store, -1, NOW)), expected);
    await store.migrate(); // idempotent
    assert.deepEqual(await answers(readContext(store, -1, NOW)), expected);
  } finally {
    await store.close();
  }
});
