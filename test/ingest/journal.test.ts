// The ingest journal on real files and a real DuckDB file: framing, a torn tail, corrupted bytes (start-up
// keeps every intact record and reports what it skipped), and a restart that replays exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { emptyRow, newEventId } from '../../src/ingest/enrich.js';
import { openFoldedJournal } from '../../src/ingest/folder.js';
import { encodeRows, JournalWriter } from '../../src/ingest/journal-writer.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { decodeSegment, frame, frameTexts, HEADER_BYTES, RECORD_OVERHEAD, segmentHeader } from '../../src/store/journal/format.js';
import type { EventRow } from '../../src/store/ports.js';

const payloads = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i * 7) })));
const segment = (ps: Buffer[]) => Buffer.concat([segmentHeader(), frame(ps)]);
const texts = (recs: { payload: Buffer }[]) => recs.map((r) => r.payload.toString());

function row(n: number): EventRow {
  return { ...emptyRow(), id: newEventId(), project_id: 'proj_j', ts: Date.parse('2026-03-09T12:00:00Z'), date: '2026-03-09', received_at: Date.now(), event: 'j', properties: JSON.stringify({ n }) };
}

describe('journal format', () => {
  test('records round-trip in order, and rows round-trip through a payload', () => {
    const ps = payloads(5);
    const { records, skipped } = decodeSegment(segment(ps));
    assert.deepEqual(texts(records), ps.map(String));
    assert.deepEqual(skipped, []);
    assert.equal(records[0].offset, HEADER_BYTES);
    const rows = [row(1), { ...row(2), user_id: 'u\u00e9', properties: null }];
    assert.deepEqual(JSON.parse(encodeRows(rows).join('')), rows);
    assert.deepEqual(JSON.parse(encodeRows([]).join('')), []);
    // Characters beyond Latin-1 (the two-byte strings of V8) are encoded part by part.
    const wide = [{ ...row(3), title: 'Pricing \u2014 Shop \u{1F600}', properties: JSON.stringify({ t: '\u2014' }) }];
    assert.deepEqual(JSON.parse(Buffer.from(frameTexts([encodeRows(wide)]).payloads[0]).toString('utf8')), wide);
    const strings = ['[]', '[{"a":"é"}]'];
    const framedTexts = frameTexts([[strings[0]], ['[{"a":', '"é"}]']]);
    assert.deepEqual(decodeSegment(Buffer.concat([segmentHeader(), framedTexts.framed])).records.map((r) => r.payload.toString()), strings);
    assert.deepEqual(framedTexts.payloads.map(String), strings);
    assert.deepEqual(framedTexts.framed, frame(strings.map((t) => Buffer.from(t))));
  });

  test('a torn tail keeps every whole record and reports the torn bytes', () => {
    const ps = payloads(4);
    const full = segment(ps);
    const cut = full.subarray(0, full.length - 3);
    const { records, skipped } = decodeSegment(cut);
    assert.deepEqual(texts(records), ps.slice(0, 3).map(String));
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0].reason, 'torn tail');
    assert.equal(skipped[0].offset + skipped[0].bytes, cut.length);
  });

  test('a corrupted payload byte loses that record only; a corrupted length loses only up to the next record', () => {
    const ps = payloads(5);
    const seg = segment(ps);
    const second = decodeSegment(seg).records[1];
    const flipped = Buffer.from(seg);
    flipped[second.offset + RECORD_OVERHEAD + 2] ^= 0x40;
    let d = decodeSegment(flipped);
    assert.deepEqual(texts(d.records), [ps[0], ps[2], ps[3], ps[4]].map(String));
    assert.deepEqual(d.skipped, [{ offset: second.offset, bytes: second.end - second.offset, reason: 'corrupt record' }]);

    const badLength = Buffer.from(seg);
    badLength[second.offset + 1] ^= 0x01; // the length's second byte: the record seems 256 bytes longer
    d = decodeSegment(badLength);
    assert.deepEqual(texts(d.records), [ps[0], ps[2], ps[3], ps[4]].map(String));
    assert.equal(d.skipped[0].reason, 'corrupt record');

    assert.deepEqual(decodeSegment(Buffer.from('not a journal')).skipped, [{ offset: 0, bytes: 13, reason: 'bad header' }]);
  });
});

describe('journal files and the folder on a real DuckDB file', () => {
  let dir: string;
  const logged: string[] = [];
  const log = (err: unknown, msg: string) => void logged.push(`${msg}: ${err}`);
  let segmentBytes = 4096;
  const opts = () => ({ dir: join(dir, 'journal'), segmentBytes, foldMs: 600_000, foldMaxEvents: 1_000_000 });
  const open = () => DuckDbEventStore.open(join(dir, 'events.duckdb'));
  const stored = async (s: DuckDbEventStore) => (await s.query<{ n: number; copies: number }>({
    sql: "SELECT CAST(json_extract_string(properties, '$.n') AS INTEGER) AS n, count(*) AS copies FROM events GROUP BY 1 ORDER BY 1", params: [],
  })).map((r) => [Number(r.n), Number(r.copies)]);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aa-journal-'));
    segmentBytes = 4096;
    logged.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Acknowledge `n` events through the real writer, then stop as a crash would: nothing folded, nothing drained. */
  async function ackThenCrash(from: number, n: number): Promise<void> {
    const store = await open();
    await store.migrate();
    const { journal, folder } = await openFoldedJournal(store.journal, opts(), log);
    const w = new JournalWriter(journal, folder, { flushMs: 1, maxBatch: 10, maxQueue: 50_000, maxBytes: 1 << 30 }, { journalled: () => {}, acknowledged: () => {}, log });
    await Promise.all(Array.from({ length: n }, (_, i) => w.submit([row(from + i)])));
    assert.equal(folder.unfoldedEvents, n, 'acknowledged, not folded (fold interval 10 min)');
    await journal.close();
    await store.close(); // no folder.close(): the acknowledged events exist only in the journal
  }

  test('a restart folds exactly the acknowledged events the store lacks, once, and deletes folded segments', async () => {
    await ackThenCrash(0, 300); // 300 records over several 4 KB segments
    assert.ok(readdirSync(opts().dir).length > 2, 'several segments were written');
    let store = await open();
    let opened = await openFoldedJournal(store.journal, opts(), log);
    assert.equal(opened.recovery.records.length, 300);
    assert.deepEqual(opened.recovery.skipped, []);
    assert.deepEqual(await stored(store), Array.from({ length: 300 }, (_, i) => [i, 1]));
    assert.deepEqual(readdirSync(opts().dir), [`${String(opened.journal.position.segment).padStart(16, '0')}.aaj`], 'only the fresh segment remains');
    await opened.folder.close();
    await opened.journal.close();
    await store.close();

    store = await open();
    opened = await openFoldedJournal(store.journal, opts(), log);
    assert.equal(opened.recovery.records.length, 0, 'nothing replayed twice');
    assert.equal((await stored(store)).length, 300);
    await opened.journal.close();
    await store.close();
    assert.deepEqual(logged, []);
  });

  test('start-up after a torn tail and a flipped byte keeps every intact record and reports what it skipped', async () => {
    segmentBytes = 1 << 20; // one segment
    await ackThenCrash(0, 20);
    const [file] = readdirSync(opts().dir).sort().slice(-1);
    const path = join(opts().dir, file);
    const recs = decodeSegment(readFileSync(path)).records;
    assert.equal(recs.length, 20);
    const bytes = readFileSync(path);
    bytes[recs[5].offset + RECORD_OVERHEAD + 4] ^= 0xff; // damage record 5
    writeFileSync(path, bytes);
    truncateSync(path, recs[19].end - 2); // and tear record 19

    const store = await open();
    const { journal, recovery } = await openFoldedJournal(store.journal, opts(), log);
    const expected = Array.from({ length: 19 }, (_, i) => i).filter((i) => i !== 5);
    assert.deepEqual((await stored(store)).map(([n]) => n), expected);
    assert.deepEqual(recovery.skipped.map((s) => s.reason), ['corrupt record', 'torn tail']);
    assert.equal(logged.length, 2, 'each skipped stretch is reported');
    assert.match(logged[0], /skipped \d+ bytes \(corrupt record\)/);
    await journal.close();
    await store.close();
  });
});
