// POST /backup under live ingestion, then a restore into an empty folder: every event of the copy equals the
// source's row, every event acknowledged before the backup began is in it, every meta row matches, and a
// server started on the restored folder answers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { restoreFrom, RestoreError } from '../../src/portability/backup.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { EVENT_COLUMNS } from '../../src/store/ports.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const scratch = mkdtempSync(join(tmpdir(), 'aa-backup-'));
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

const ALL = { sql: `SELECT ${EVENT_COLUMNS.join(', ')} FROM events ORDER BY id`, params: [] };

function metaTables(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT * FROM "${n}"`).all().map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

test('a backup taken under live ingestion restores every event and every meta row', async () => {
  const p = await t.newProject(t.ownerKey, 'busy');
  assert.equal((await t.request('PUT', '/project-context', { project: 'busy', goals: ['signups'] })).statusCode, 200);
  let n = 0;
  let stop = false;
  const acked = new Set<number>();
  const ingest = (async () => {
    while (!stop) {
      const batch = Array.from({ length: 20 }, () => ({ event: 'page_view', properties: { path: '/p', n: n++ }, user_id: `u${n % 7}`, session_id: `s${n % 11}` }));
      const res = await t.request('POST', '/track/batch', { token: p.project_token, events: batch }, null);
      assert.equal(res.statusCode, 202, res.body);
      for (const e of batch) acked.add(e.properties.n);
    }
  })();
  while (acked.size < 400) await new Promise((r) => setTimeout(r, 10));
  const ackedBefore = new Set(acked);
  const dir = join(scratch, 'backup-1');
  const res = await t.request('POST', '/backup', { dir });
  const ackedDuring = acked.size - ackedBefore.size;
  stop = true;
  await ingest;
  assert.equal(res.statusCode, 200, res.body);
  const manifest = res.json();
  assert.equal(manifest.format, 'agent-analytics-backup/1');
  assert.ok(manifest.events >= ackedBefore.size, `${manifest.events} events in the copy, ${ackedBefore.size} acknowledged before it began`);
  process.stdout.write(`# backup of ${manifest.events} events in ${manifest.duration_ms} ms while ${ackedDuring} more were acknowledged; ${acked.size} in all\n`);

  // Restore into an empty data folder, then compare row by row.
  const target = join(scratch, 'restored');
  const config = loadConfig({ AA_DATA_DIR: target });
  assert.deepEqual(await restoreFrom(dir, config), manifest);
  const restored = await DuckDbEventStore.open(config.eventsUrl.slice('duckdb:'.length));
  const copy = await restored.query<Record<string, unknown>>(ALL);
  await restored.close();
  const source = new Map((await t.stores.events.query<Record<string, unknown>>(ALL)).map((r) => [r.id, r]));
  assert.equal(copy.length, manifest.events);
  for (const row of copy) assert.deepEqual(row, source.get(row.id), `event ${row.id} differs from the source`);
  const copiedN = new Set(copy.map((r) => JSON.parse(String(r.properties)).n));
  for (const k of ackedBefore) assert.ok(copiedN.has(k), `event n=${k} was acknowledged before the backup began but is missing`);

  const before = metaTables(t.config.metaUrl);
  const after = metaTables(config.metaUrl);
  assert.deepEqual(Object.keys(after), Object.keys(before));
  for (const table of Object.keys(before)) {
    if (table === 'usage_daily') continue; // counted on as ingestion went on after the copy
    assert.deepEqual(after[table], before[table], `meta table ${table}`);
  }
  const usage = (rows: unknown[]) => new Map(rows.map((r) => JSON.parse(r as string)).map((u) => [`${u.project_id}|${u.date}`, u.events]));
  const usageBefore = usage(before.usage_daily);
  for (const [k, events] of usage(after.usage_daily)) assert.ok(events <= (usageBefore.get(k) ?? 0), `usage ${k}`);

  // A server on the restored folder answers with the same key and the copied events.
  const back = await startTestApp({}, { dir: target });
  try {
    const stats = (await back.request('GET', '/stats?project=busy&since=1d')).json();
    assert.equal(stats.totals.total_events, manifest.events);
  } finally {
    await back.close();
  }

  await assert.rejects(restoreFrom(dir, config), (err: Error) => err instanceof RestoreError && /exists; restore only into an empty data folder/.test(err.message));
  await assert.rejects(restoreFrom(scratch, loadConfig({ AA_DATA_DIR: join(scratch, 'x') })), /holds no manifest\.json/);
});

test('POST /backup: owner key only, a new or empty absolute folder', async () => {
  const key = await t.newAccount('pro');
  const other = await t.request('POST', '/backup', { dir: join(scratch, 'b2') }, key);
  assert.equal(other.statusCode, 403);
  assert.match(other.json().message, /only the owner's API key/);
  for (const [body, re] of [[{}, /dir is required/], [{ dir: 'relative/path' }, /absolute path/], [{ dir: join(scratch, 'backup-1') }, /is not empty/]] as const) {
    const res = await t.request('POST', '/backup', body);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, re);
  }
});
