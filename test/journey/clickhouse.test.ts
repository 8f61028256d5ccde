// /journey with ClickHouse as the event store (the real engine in-process through chdb): the same events and
// identify calls through the same endpoints must give the answers DuckDB gives (dataset.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { baseTime, collectAnswers, expectedAnswers, loadJourneyDataset } from './dataset.js';

const chDir = mkdtempSync(join(tmpdir(), 'aa-journey-ch-'));
let t: TestApp;
let t0: number;
before(async () => {
  t = await startTestApp({ AA_EVENTS_URL: `chdb:${join(chDir, 'clickhouse')}?database=journey` });
  assert.equal(t.stores.events.engine, 'clickhouse');
  t0 = baseTime();
  await loadJourneyDataset(t, t.ownerKey, t0);
});
after(async () => {
  await t?.close();
  rmSync(chDir, { recursive: true, force: true });
});

test('clickhouse: the hand-worked journeys equal DuckDB\'s (identity map, window, limit, other users, POST)', async () => {
  assert.deepEqual(await collectAnswers(t, t.ownerKey, t0), expectedAnswers(t0));
});
