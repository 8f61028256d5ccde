// POST /paths with ClickHouse as the event store (the real engine in-process through chdb): the same events
// sent through the same ingestion endpoints must give the same trees as on DuckDB (dataset.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  baseTime, CAP_EVENTS, CAP_STATEMENTS, capStatements, CAPPED_ENTRY_PATHS, DEFAULT_ENTRY_PATHS, PATHS_EVENTS, SHORT_ENTRY_PATHS, trackAll, trackBatches, UNCAPPED_ENTRY_PATHS,
} from './dataset.js';

const chDir = mkdtempSync(join(tmpdir(), 'aa-paths-ch-'));
let t: TestApp;
let capId: string;
before(async () => {
  t = await startTestApp({ AA_EVENTS_URL: `chdb:${join(chDir, 'clickhouse')}?database=paths` });
  assert.equal(t.stores.events.engine, 'clickhouse');
  const t0 = baseTime();
  const site = await t.newProject(t.ownerKey, 'paths-site');
  await trackAll(t, site.project_token, PATHS_EVENTS, t0);
  const cap = await t.newProject(t.ownerKey, 'cap-site');
  await trackBatches(t, cap.project_token, CAP_EVENTS, t0);
  capId = cap.id;
});
after(async () => {
  await t?.close();
  rmSync(chDir, { recursive: true, force: true });
});

async function entryPaths(body: Record<string, unknown>): Promise<unknown> {
  const res = await t.app.inject({ method: 'POST', url: '/paths', headers: { 'x-api-key': t.ownerKey }, payload: body });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().entry_paths;
}

test('clickhouse: the default trees equal the hand-worked answer (and DuckDB\'s)', async () => {
  assert.deepEqual(await entryPaths({ project: 'paths-site', goal_event: 'signup' }), DEFAULT_ENTRY_PATHS);
});

test('clickhouse: max_steps, path_limit and entry_limit', async () => {
  assert.deepEqual(await entryPaths({ project: 'paths-site', goal_event: 'signup', max_steps: 2, path_limit: 2, entry_limit: 2 }), SHORT_ENTRY_PATHS);
});

test('clickhouse: candidate_session_cap and the per-session read cap', async () => {
  assert.deepEqual(await entryPaths({ project: 'cap-site', goal_event: 'signup', candidate_session_cap: 100 }), CAPPED_ENTRY_PATHS);
  assert.deepEqual(await entryPaths({ project: 'cap-site', goal_event: 'signup' }), UNCAPPED_ENTRY_PATHS);
});

test('clickhouse: the event statement reads exactly the candidate sessions', async () => {
  assert.deepEqual(await capStatements(t, capId), CAP_STATEMENTS);
});

test('clickhouse: a window without sessions', async () => {
  assert.deepEqual(await entryPaths({ project: 'paths-site', goal_event: 'signup', since: '1d' }), []);
});
