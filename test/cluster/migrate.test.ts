// `agent-analytics migrate`: both schemas created from AA_META_URL / AA_EVENTS_URL, idempotent,
// and clear exit codes for wrong use. Runs the command function in this process with a set env.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { migrateCommand } from '../../src/cli/migrate.js';
import { openClickHouseEventStore } from '../../src/store/clickhouse/connect.js';
import { ROLLUPS } from '../../src/store/clickhouse/rollups.js';
import { freshPgSchema, PG_URL, servicesOrSkip } from './services.js';

const skip = await servicesOrSkip('postgres');
const dir = mkdtempSync(join(tmpdir(), 'aa-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Run the command with exactly these variables, output captured. */
async function run(env: Record<string, string>, argv: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await migrateCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, { AA_DATA_DIR: dir, ...env });
  return { code, out: out.join(''), err: err.join('') };
}

describe('agent-analytics migrate', () => {
  test('creates the PostgreSQL and ClickHouse schemas, and again is a no-op', { skip }, async () => {
    const schema = await freshPgSchema();
    const env = { AA_META_URL: schema.url, AA_EVENTS_URL: 'chdb::memory:?database=aa_migrate_test' };
    // An in-memory chdb engine lives while a connection holds it: keep one open across the runs.
    const ch = await openClickHouseEventStore('chdb::memory:?database=aa_migrate_test');
    try {
      const first = await run(env);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /meta schema up to date \(postgres: postgres:\/\/\*\*\*@/);
      assert.match(first.out, /events schema up to date \(clickhouse: chdb::memory:/);
      assert.equal((await run(env)).code, 0);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        const { rows } = await c.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema.schema]);
        assert.deepEqual(rows.map((r) => r.table_name), ['accounts', 'agent_requests', 'agent_sessions', 'agent_tokens', 'api_keys', 'bot_traffic_daily', 'dashboard_sessions', 'experiments', 'feedback', 'identities', 'import_jobs', 'kysely_migration', 'kysely_migration_lock', 'named_keys', 'portfolio_contexts', 'portfolio_members', 'portfolios', 'project_contexts', 'projects', 'usage_daily']);
      } finally {
        await c.end();
      }
      const rollups = ROLLUPS.flatMap((r) => [r.table, `${r.table}_mv`]);
      assert.deepEqual(await ch.query({ sql: 'SELECT name FROM system.tables WHERE database = $1 ORDER BY name', params: ['aa_migrate_test'] }),
        ['events', 'schema_migrations', ...rollups].sort().map((name) => ({ name })));
    } finally {
      await ch.close();
      await schema.drop();
    }
  });

  test('embedded stores by default', async () => {
    const r = await run({});
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /meta schema up to date \(sqlite: /);
    assert.match(r.out, /events schema up to date \(duckdb: /);
  });

  test('wrong use: --cluster without ClickHouse, unknown flags, a malformed URL, an unknown cluster', async () => {
    const noCh = await run({}, ['--cluster', 'prod']);
    assert.equal(noCh.code, 64);
    assert.match(noCh.err, /--cluster needs a ClickHouse AA_EVENTS_URL/);
    assert.equal((await run({}, ['--bogus'])).code, 64);
    const bad = await run({ AA_EVENTS_URL: 'mysql://u:secret@h/db' });
    assert.equal(bad.code, 78);
    assert.doesNotMatch(bad.err, /secret/, 'credentials are never printed');
    const unknown = await run({ AA_EVENTS_URL: 'chdb::memory:?database=aa_migrate_test2' }, ['--cluster', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /migration failed: .*nope/);
    assert.equal((await run({}, ['--help'])).code, 0);
  });
});
