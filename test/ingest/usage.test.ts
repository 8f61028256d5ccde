import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyRow, newEventId } from '../../src/ingest/enrich.js';
import { UsageRecorder } from '../../src/ingest/usage.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import type { EventRow, MetaStore } from '../../src/store/ports.js';

const row = (project_id: string): EventRow => ({ ...emptyRow(), id: newEventId(), project_id, ts: Date.UTC(2026, 2, 9, 12), date: '2026-03-09', received_at: Date.UTC(2026, 2, 9, 12), event: 'e' });

describe('UsageRecorder on a real SQLite meta store', () => {
  let meta: MetaStore;
  before(async () => {
    meta = openSqliteMetaStore(':memory:');
    await meta.migrate();
  });
  after(async () => meta.close());
  const events = async (p: string) => (await meta.usage([p], '2026-03-09')).get(p)?.events_today ?? 0;

  test('an empty commit (e.g. a drain) neither writes nor leaves flush() spinning', async () => {
    const u = new UsageRecorder(meta, () => {});
    u.record([]);
    await Promise.race([u.flush(), new Promise((_, reject) => setTimeout(() => reject(new Error('flush() did not return')), 1000))]);
    u.record([row('p_empty')]);
    await u.flush();
    assert.equal(await events('p_empty'), 1);
  });

  test('counts recorded while a write is running are written too, coalesced', async () => {
    const u = new UsageRecorder(meta, () => {});
    for (let i = 0; i < 50; i++) {
      u.record([row('p_many'), row('p_many')]);
      if (i % 7 === 0) await Promise.resolve();
    }
    await u.flush();
    assert.equal(await events('p_many'), 100);
  });
});
