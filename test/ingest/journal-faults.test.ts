// Faults around the journal, on the real app: the journal's disk full (a 1 MB tmpfs filled to the last
// byte) and the event store failing while the journal accepts. Either way a request is refused with
// 503 + Retry-After, never acknowledged and lost, and ingestion recovers by itself once the cause is gone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { JournalMark } from '../../src/store/ports.js';
import { countRows, post } from './helpers.js';

/** Mount a 1 MB tmpfs (needs root); null with the reason when this machine cannot. */
function tinyDisk(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'aa-tinydisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a 1 MB tmpfs here (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
  return { dir, unmount: () => { execFileSync('umount', [dir]); rmSync(dir, { recursive: true, force: true }); } };
}

/** Fill the file system holding `dir` to the last byte; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    try {
      for (;;) writeSync(fd, chunk, 0, 1);
    } catch { /* full to the byte */ }
  } finally {
    closeSync(fd);
  }
  return path;
}

async function track(t: TestApp, token: string, n: number, batch = false) {
  const res = batch
    ? await post(t, '/track/batch', { token, events: Array.from({ length: 5 }, (_, i) => ({ event: 'f', properties: { n: n * 10 + i } })) })
    : await post(t, '/track', { token, event: 'f', properties: { n } });
  return res;
}

const disk = tinyDisk();

test('the journal\'s disk full: 503 + Retry-After, nothing acknowledged lost, ingestion resumes once space returns', { skip: typeof disk === 'string' ? disk : false }, async () => {
  if (typeof disk === 'string') return;
  const journalDir = join(disk.dir, 'journal');
  mkdirSync(journalDir);
  // Small segments, so the full disk also hits a segment rotation (a new file and its header).
  const t = await startTestApp({ AA_JOURNAL_DIR: journalDir, AA_JOURNAL_SEGMENT_BYTES: '4096' });
  try {
    const { project_token: token, id } = await t.newProject(t.ownerKey, 'full-disk');
    let acked = 0;
    for (let n = 0; n < 20; n++) if ((await track(t, token, n, n % 2 === 0)).statusCode === 202) acked += n % 2 === 0 ? 5 : 1;
    assert.equal(acked, 60);

    // Folded segments are deleted, which frees space: let that finish (a read waits for the folder) first.
    assert.equal(await countRows(t, id), 60);
    const filler = fill(disk.dir);
    // A request that still fits in the segment's last allocated page is stored and acknowledged; one
    // that needs a new page or a new segment file is refused. Either way no 202 is ever lost.
    let n = 20;
    let refused = 0;
    for (; n < 60; n++) {
      const res = await track(t, token, n, n % 2 === 0);
      if (res.statusCode === 202) {
        acked += n % 2 === 0 ? 5 : 1;
        continue;
      }
      refused++;
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().error, 'SERVICE_UNAVAILABLE');
      assert.match(res.json().message, /journal could not be written/);
      assert.equal(res.headers['retry-after'], '1');
    }
    assert.ok(refused >= 20, `the full disk refuses requests (${refused} of 40)`);
    assert.equal(await countRows(t, id), acked, 'the acknowledged events are all stored; the refused ones are not');

    rmSync(filler);
    for (const end = n + 10; n < end; n++) assert.equal((await track(t, token, n, n % 2 === 0)).statusCode, 202, 'recovers once space returns');
    assert.equal(await countRows(t, id), acked + 30);
  } finally {
    await t.close();
    disk.unmount();
  }
});

test('the event store failing: events wait in the journal up to AA_JOURNAL_MAX_BYTES, then 503; all are stored once it recovers', async () => {
  const t = await startTestApp({ AA_JOURNAL_MAX_BYTES: '12000', AA_FOLD_MS: '10' });
  const store = failingFolds(t);
  try {
    const { project_token: token, id } = await t.newProject(t.ownerKey, 'store-down');
    store.down = true;
    let acked = 0;
    let refused: Awaited<ReturnType<typeof post>> | null = null;
    for (let n = 0; n < 500 && !refused; n++) {
      const res = await track(t, token, n);
      if (res.statusCode === 202) acked++;
      else refused = res;
    }
    assert.ok(acked > 10, `events were acknowledged while the store was down (${acked})`);
    assert.ok(refused, 'the journal bound was reached');
    assert.equal(refused.statusCode, 503, refused.body);
    assert.match(refused.json().message, /event store is behind: \d+ accepted events/);
    assert.equal(refused.headers['retry-after'], '1');
    assert.ok(store.failed > 0, 'folds were attempted and failed');
    // A read does not hang on the failing store; it sees what is folded (nothing yet).
    assert.equal(await countRows(t, id), 0);

    store.down = false;
    const deadline = Date.now() + 15_000;
    while ((await countRows(t, id)) < acked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await countRows(t, id), acked, 'every acknowledged event is stored once the store is back');
    assert.equal((await track(t, token, 9999)).statusCode, 202, 'and ingestion accepts again');
    const dupes = await t.stores.events.query<{ n: number }>({ sql: "SELECT count(*) - count(DISTINCT json_extract_string(properties, '$.n')) AS n FROM events WHERE project_id = $1", params: [id] });
    assert.equal(Number(dupes[0].n), 0, 'nothing stored twice');
  } finally {
    store.down = false;
    await t.close();
  }
});

test('identify while folds fail: 503 + Retry-After instead of a rewrite that misses journalled events; a retry completes it', async () => {
  const t = await startTestApp({ AA_FOLD_MS: '10' });
  const store = failingFolds(t);
  try {
    const { project_token: token, id } = await t.newProject(t.ownerKey, 'identify-store-down');
    store.down = true;
    for (let n = 0; n < 3; n++) assert.equal((await post(t, '/track', { token, event: 'f', user_id: 'anon_1', properties: { n } })).statusCode, 202);
    const refused = await post(t, '/identify', { token, previous_id: 'anon_1', user_id: 'user_1' });
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.json().error, 'SERVICE_UNAVAILABLE');
    assert.match(refused.json().message, /3 accepted events wait in the journal; retry/);
    assert.equal(refused.headers['retry-after'], '1');

    store.down = false;
    const deadline = Date.now() + 15_000;
    let res = await post(t, '/identify', { token, previous_id: 'anon_1', user_id: 'user_1' });
    while (res.statusCode === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await post(t, '/identify', { token, previous_id: 'anon_1', user_id: 'user_1' });
    }
    assert.equal(res.statusCode, 202, res.body);
    const users = await t.stores.events.query<{ user_id: string }>({ sql: 'SELECT user_id FROM events WHERE project_id = $1', params: [id] });
    assert.deepEqual(users.map((u) => u.user_id), ['user_1', 'user_1', 'user_1'], 'the journalled events were rewritten too');
  } finally {
    store.down = false;
    await t.close();
  }
});

/** Fault injection around the real store's fold: the same DuckDB file, failing while `down` is set. */
function failingFolds(t: TestApp): { down: boolean; failed: number } {
  const journal = t.stores.events.journal!;
  const real = journal.fold.bind(journal);
  const state = { down: false, failed: 0 };
  (journal as { fold: (batch: Uint8Array, mark: JournalMark) => Promise<void> }).fold = async (batch, mark) => {
    if (state.down) {
      state.failed++;
      throw new Error('IO Error: the event store is down (injected)');
    }
    return real(batch, mark);
  };
  return state;
}
