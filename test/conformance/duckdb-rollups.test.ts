// The DuckDB store's rollups (store/duckdb/rollups.ts) against the answers derived from raw events: same
// reports through a dialect without rollups must agree, reads see a write at once, and a change of
// DuckDB's hash function (the key probe) re-keys and refolds; an install of schema 8 (rollups with primary keys)
// keeps its folded rows through migration 9.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReadContext } from '../../src/query/run.js';
import { statsReport } from '../../src/reports/stats.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { ROLLUP_SCHEMA, USERS_SCHEMA } from '../../src/store/duckdb/rollups.js';
import { duckdbDialect } from '../../src/query/sql/dialects/duckdb.js';
import { eventRows } from '../helpers/events.js';
import { MAIN, NOW, PROJECTS, RETENTION } from './dataset.js';
import { answers, main } from './rollup-answers.js';

describe('DuckDB rollups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-rollups-'));
  const path = join(dir, 'events.duckdb');
  let store: DuckDbEventStore;
  const rolled = (): ReadContext => ({ store, dialect: duckdbDialect, retentionDays: -1, now: NOW });
  const raw = (): ReadContext => ({ store, dialect: { ...duckdbDialect, sessionsTable: null, userRollups: null, propertyValues: null }, retentionDays: -1, now: NOW });

  before(async () => {
    store = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
    await store.migrate();
    // One event per insert: every session is merged across many folds.
    for (const row of eventRows(PROJECTS.main, MAIN)) {
      await store.insert([row]);
      await store.query({ sql: 'SELECT count(*) FROM rollup_state', params: [] });
    }
    await store.insert(eventRows(PROJECTS.retention, RETENTION));
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('answers from the rollups equal the answers derived from raw events', async () => {
    assert.deepEqual(await answers(rolled()), await answers(raw()));
  });

  test('a read right after a write sees it (the fold runs before the read)', async () => {
    const before = await statsReport(rolled(), { ...main, since: '7d', groupBy: 'day' });
    await store.insert(eventRows(PROJECTS.main, [{ ts: '2026-03-09T11:00:00Z', event: 'signup', user: 'u9', session: 's9', props: { path: '/x' } }]));
    const after = await statsReport(rolled(), { ...main, since: '7d', groupBy: 'day' });
    assert.equal(after.totals.unique_users, before.totals.unique_users + 1);
    assert.equal(after.sessions.total_sessions, before.sessions.total_sessions + 1);
  });

  test('upgrade: the folded rollups of a schema-8 install (primary keys) survive migration 9 and fold on', async () => {
    const expected = await answers(rolled());
    await store.close();
    // Back to schema 8: the rollup tables as migrations 2 and 4 created them, with their primary keys, holding the
    // rows folded so far (without the session key migration 9 adds).
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    const tables = ['session_rollup', 'rollup_user_events', 'rollup_user_days', 'rollup_user_hours', 'rollup_users'];
    for (const t of tables) await conn.run(`ALTER TABLE ${t} RENAME TO ${t}_now`);
    for (const sql of [...ROLLUP_SCHEMA, ...USERS_SCHEMA].filter((s) => s.startsWith('CREATE TABLE'))) await conn.run(sql);
    for (const t of tables) {
      await conn.run(`INSERT INTO ${t} BY NAME SELECT ${t === 'session_rollup' ? '* EXCLUDE (session_key)' : '*'} FROM ${t}_now`);
      await conn.run(`DROP TABLE ${t}_now`);
    }
    await conn.run('DELETE FROM schema_migrations WHERE version >= 9');
    const keyed = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN (${tables.map((t) => `'${t}'`).join(', ')})`);
    assert.equal(Number(keyed.getRows()[0][0]), tables.length);
    conn.closeSync();
    db.closeSync();

    store = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
    await store.migrate();
    const [rows] = await store.query<{ keyed: number; sessions: number }>({
      sql: `SELECT (SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN (${tables.map((t) => `'${t}'`).join(', ')})) AS keyed,
        (SELECT count(*) FROM session_rollup WHERE session_key = hash(session_id)) AS sessions`, params: [],
    });
    assert.equal(Number(rows.keyed), 0);
    assert.ok(Number(rows.sessions) > 0);
    assert.deepEqual(await answers(rolled()), expected);
    // Later events merge into the copied rows: a session and users seen before, one new.
    await store.insert(eventRows(PROJECTS.main, [
      { ts: '2026-03-09T11:30:00Z', event: 'purchase', user: 'u9', session: 's9', props: { path: '/y' } },
      { ts: '2026-03-09T11:31:00Z', event: 'page_view', user: 'u10', session: 's10', props: { path: '/z' } },
    ]));
    assert.deepEqual(await answers(rolled()), await answers(raw()));
  });

  test('a changed key probe (another DuckDB hash) re-keys events and refolds the rollups on open', async () => {
    const expected = await answers(rolled());
    await store.close();
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    await conn.run("UPDATE rollup_state SET seq = seq + 1 WHERE name = 'key_probe'");
    await conn.run('UPDATE events SET user_key = 1, session_key = 1'); // keys of a foreign hash function
    conn.closeSync();
    db.closeSync();
    store = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
    await store.migrate();
    assert.deepEqual(await answers(rolled()), expected);
    // The events themselves were re-keyed: the raw read groups users by events.user_key (all 1 above).
    assert.deepEqual(await answers(raw()), expected);
  });

  test('after identify (an UPDATE of user_key) both read paths agree, before and after a reopen', async () => {
    const before = await answers(rolled());
    await store.reassignUser(PROJECTS.retention, 'rb', 'ra');
    await store.reassignUser(PROJECTS.main, 'u9', 'u1');
    const after = await answers(rolled());
    assert.notDeepEqual(after.retention, before.retention);
    assert.deepEqual(await answers(raw()), after);
    await store.close();
    store = await DuckDbEventStore.open(path, { rollupFoldMs: 0 });
    await store.migrate();
    assert.deepEqual(await answers(raw()), after);
    assert.deepEqual(await answers(rolled()), after);
  });

});
