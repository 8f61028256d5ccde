// The DuckDB store's layout step (store/duckdb/layout.ts): events that arrived out of time order are rewritten
// clustered by date, every answer stays the same, the rollups stay right for later writes, and an install of
// the previous schema (migration 7 absent) gets its existing events checked once after the upgrade.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReadContext } from '../../src/query/run.js';
import { eventsReport } from '../../src/reports/events.js';
import { propertiesReceivedReport } from '../../src/reports/properties.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { duckdbDialect } from '../../src/query/sql/dialects/duckdb.js';
import { eventRows } from '../helpers/events.js';
import { MAIN, NOW, PROJECTS, RETENTION } from './dataset.js';
import { answers, main } from './rollup-answers.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-layout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Rows in reverse time order, a few per insert: the arrival order a backfill or late batches give. */
async function loadBackwards(store: DuckDbEventStore): Promise<void> {
  const rows = [...eventRows(PROJECTS.main, MAIN)].sort((a, b) => b.ts - a.ts);
  for (let i = 0; i < rows.length; i += 3) await store.insert(rows.slice(i, i + 3));
  await store.insert(eventRows(PROJECTS.retention, RETENTION).reverse());
}

/** Dates in physical (rowid) order that are earlier than the row before them: 0 when clustered by date. */
async function outOfOrder(store: DuckDbEventStore): Promise<number> {
  const [r] = await store.query<{ n: number }>({
    sql: 'SELECT count(*) AS n FROM (SELECT date, lag(date) OVER (ORDER BY rowid) AS prev FROM events) WHERE date < prev', params: [],
  });
  return Number(r.n);
}

async function allAnswers(ctx: ReadContext) {
  return {
    ...(await answers(ctx)),
    events: await eventsReport(ctx, { ...main, since: '30d', limit: 7 }),
    eventsPage2: await eventsReport(ctx, { ...main, since: '30d', limit: 7, cursor: (await eventsReport(ctx, { ...main, since: '30d', limit: 7 })).next_cursor }),
    received: await propertiesReceivedReport(ctx, { ...main, since: '30d', sample: 100 }),
  };
}

describe('DuckDB layout', () => {
  const rolled = (store: DuckDbEventStore): ReadContext => ({ store, dialect: duckdbDialect, retentionDays: -1, now: NOW });
  const raw = (store: DuckDbEventStore): ReadContext => ({ store, dialect: { ...duckdbDialect, sessionsTable: null, userRollups: null, propertyValues: null }, retentionDays: -1, now: NOW });

  test('events that arrived out of order are clustered by date; every answer is unchanged', async () => {
    const store = await DuckDbEventStore.open(join(dir, 'a.duckdb'), { rollupFoldMs: 0, layoutMs: 0 });
    try {
      await store.migrate();
      await loadBackwards(store);
      const before = await allAnswers(rolled(store));
      assert.ok((await outOfOrder(store)) > 0);
      const r = await store.recluster();
      assert.ok(r.moved > 0 && r.dates > 2, JSON.stringify(r));
      assert.equal(await outOfOrder(store), 0);
      assert.deepEqual(await allAnswers(rolled(store)), before);
      // Nothing new since: the next check moves nothing.
      assert.deepEqual(await store.recluster(), { checked: 0, moved: 0, dates: 0 });
      // Later writes fold into the rollups as before (the moved rows kept their seq).
      await store.insert(eventRows(PROJECTS.main, [{ ts: '2026-03-09T11:00:00Z', event: 'signup', user: 'u9', session: 's9', props: { path: '/x' } }]));
      await store.reassignUser(PROJECTS.main, 'u9', 'u1');
      assert.deepEqual(await answers(rolled(store)), await answers(raw(store)));
    } finally {
      await store.close();
    }
  });

  test('an identify while the rows are being copied makes the swap give up; the next check does it', async () => {
    const store = await DuckDbEventStore.open(join(dir, 'c.duckdb'), { rollupFoldMs: 0, layoutMs: 0 });
    try {
      await store.migrate();
      await loadBackwards(store);
      // Queued on the writer right behind the layout check, so it lands between the check and the swap.
      const [r] = await Promise.all([store.recluster(), store.reassignUser(PROJECTS.main, 'u2', 'u1')]);
      assert.equal(r.moved, 0);
      assert.ok((await outOfOrder(store)) > 0);
      assert.deepEqual(await answers(rolled(store)), await answers(raw(store)));
      const again = await store.recluster();
      assert.equal(again.moved, MAIN.length + RETENTION.length);
      assert.equal(await outOfOrder(store), 0);
      assert.deepEqual(await answers(rolled(store)), await answers(raw(store)));
    } finally {
      await store.close();
    }
  });

  test('upgrade: an install without migration 7 gets its existing events re-clustered', async () => {
    const file = join(dir, 'b.duckdb');
    let store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
    await store.migrate();
    await loadBackwards(store);
    await store.close();
    // Back to the schema before the layout mark, as an install of the previous release is.
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    await conn.run('DELETE FROM schema_migrations WHERE version >= 7');
    await conn.run("DELETE FROM rollup_state WHERE name = 'layout'");
    conn.closeSync();
    db.closeSync();

    store = await DuckDbEventStore.open(file, { rollupFoldMs: 0, layoutMs: 0 });
    try {
      const before = await allAnswers(rolled(store));
      await store.migrate();
      const r = await store.recluster();
      assert.equal(r.moved, MAIN.length + RETENTION.length);
      assert.equal(await outOfOrder(store), 0);
      assert.deepEqual(await allAnswers(rolled(store)), before);
      assert.deepEqual(await answers(rolled(store)), await answers(raw(store)));
    } finally {
      await store.close();
    }
  });
});
