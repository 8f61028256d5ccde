import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emptyRow, newEventId } from '../../src/ingest/enrich.js';
import { GroupCommitWriter, WriteRefused, type WriterOptions } from '../../src/ingest/writer.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventRow, EventStore } from '../../src/store/ports.js';

function row(event: string, date = '2026-03-09'): EventRow {
  return { ...emptyRow(), id: newEventId(), project_id: 'proj_w', ts: Date.parse(`${date}T12:00:00Z`) || 0, date, received_at: Date.now(), event };
}

/** The real store, with a hook around insert for fault injection and counting. */
function instrumented(store: DuckDbEventStore, around: (rows: EventRow[], real: () => Promise<void>) => Promise<void>): EventStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'insert') return (rows: EventRow[]) => around(rows, () => target.insert(rows));
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('GroupCommitWriter on a real DuckDB file', () => {
  let dir: string;
  let store: DuckDbEventStore;
  const logged: string[] = [];
  const hooks = (committed: EventRow[][] = []) => ({
    committed: async (rows: EventRow[]) => void committed.push(rows),
    acknowledged: () => {},
    log: (err: unknown, msg: string) => void logged.push(`${msg}: ${err}`),
  });
  const opts = (o: Partial<WriterOptions> = {}): WriterOptions => ({ flushMs: 5, maxBatch: 5000, maxQueue: 50_000, ...o });
  const count = async (event?: string) => Number((await store.query<{ n: number }>(event
    ? { sql: 'SELECT count(*) AS n FROM events WHERE event = $1', params: [event] }
    : { sql: 'SELECT count(*) AS n FROM events', params: [] }))[0].n);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aa-writer-'));
    store = await DuckDbEventStore.open(join(dir, 'events.duckdb'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('concurrent requests share one transaction and are released only after it commits', async () => {
    let inserts = 0;
    let committedAt = 0;
    const s = instrumented(store, async (_rows, real) => {
      inserts++;
      await new Promise((r) => setTimeout(r, 30));
      await real();
      committedAt = Date.now();
    });
    const w = new GroupCommitWriter(s, opts({ flushMs: 500 }), hooks()); // wide window: a loaded machine may stall the submit loop
    const settledAt: number[] = [];
    await Promise.all(Array.from({ length: 50 }, () => w.submit([row('group')]).then(() => settledAt.push(Date.now()))));
    assert.equal(inserts, 1, `one shared insert (log: ${logged.join('; ')})`);
    assert.ok(settledAt.every((t) => t >= committedAt), 'no request released before the commit');
    assert.equal(await count('group'), 50, `all stored (log: ${logged.join('; ')})`);
    await w.close();
  });

  test('a failed insert fails exactly its request; neighbours in the same batch are stored', async () => {
    const w = new GroupCommitWriter(store, opts({ flushMs: 20 }), hooks());
    const results = await Promise.allSettled([
      w.submit([row('good1')]),
      w.submit([row('poison', 'not-a-date'), row('poison')]), // DuckDB rejects the DATE: a real failure
      w.submit([row('good2')]),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const err = (results[1] as PromiseRejectedResult).reason;
    assert.ok(err instanceof WriteRefused);
    assert.equal(err.status, 503);
    assert.equal(err.reason, 'write_failed');
    assert.equal(err.headers['Retry-After'], 1);
    assert.deepEqual([await count('good1'), await count('poison'), await count('good2')], [1, 0, 1]);
    assert.ok(logged.some((m) => m.includes('failed')));
    await w.close();
  });

  test('an insert that commits and then throws still answers success, and the row exists once', async () => {
    const s = instrumented(store, async (_rows, real) => {
      await real();
      throw new Error('lost connection after commit');
    });
    const w = new GroupCommitWriter(s, opts(), hooks());
    await w.submit([row('after-commit-error')]);
    assert.equal(await count('after-commit-error'), 1);
    await w.close();
  });

  test('a full queue answers 503 overloaded with Retry-After; memory stays bounded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = instrumented(store, async (_rows, real) => {
      await gate;
      await real();
    });
    const w = new GroupCommitWriter(s, opts({ flushMs: 1, maxQueue: 5 }), hooks());
    const first = w.submit([row('q'), row('q'), row('q')]);
    await new Promise((r) => setTimeout(r, 10)); // first batch is now in flight, blocked on the gate
    const second = w.submit([row('q'), row('q'), row('q'), row('q'), row('q')]);
    const third = w.submit([row('q')]);
    const refused = await third.then(() => null, (e) => e);
    assert.ok(refused instanceof WriteRefused);
    assert.equal(refused.reason, 'overloaded');
    assert.equal(refused.headers['Retry-After'], 1);
    release();
    await Promise.all([first, second]);
    assert.equal(await count('q'), 8);
    await w.close();
  });

  test('close() drains everything queued, then refuses new work', async () => {
    const committed: EventRow[][] = [];
    const w = new GroupCommitWriter(store, opts({ flushMs: 60_000, maxBatch: 3 }), hooks(committed));
    const pending = Array.from({ length: 7 }, () => w.submit([row('drain')]));
    await w.close();
    await Promise.all(pending);
    assert.equal(await count('drain'), 7);
    assert.ok(committed.length >= 3, 'batches respect maxBatch');
    await assert.rejects(w.submit([row('late')]), (e: unknown) => e instanceof WriteRefused && e.reason === 'overloaded');
  });
});
