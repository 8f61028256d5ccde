// The ingest journal's on-disk format, version 1. A segment file starts with an 8-byte header
// ("AAJL", u16 version, u16 reserved) followed by records: u32 payload length, u32 CRC32 of the length
// bytes and the payload, then the payload (all little-endian). Decoding keeps every intact record and
// reports each stretch it had to skip, so a torn tail or a flipped byte costs only the records it touched.
import { crc32 } from 'node:zlib';

export const MAGIC = 'AAJL';
export const VERSION = 1;
export const HEADER_BYTES = 8;
export const RECORD_OVERHEAD = 8;
/** A record larger than this is not a record (a corrupted length): resynchronise instead of trusting it. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function segmentHeader(): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write(MAGIC, 0, 'latin1');
  b.writeUInt16LE(VERSION, 4);
  return b;
}

/** Append the framed record of `payload` to `out` at `at`; returns the offset after it. */
export function frameInto(out: Buffer, at: number, payload: Buffer): number {
  out.writeUInt32LE(payload.length, at);
  out.writeUInt32LE(checksum(out, at, payload), at + 4);
  payload.copy(out, at + RECORD_OVERHEAD);
  return at + RECORD_OVERHEAD + payload.length;
}

/** One buffer holding the framed records of every payload (one write per group commit). */
export function frame(payloads: Buffer[]): Buffer {
  let size = 0;
  for (const p of payloads) size += RECORD_OVERHEAD + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) at = frameInto(out, at, p);
  return out;
}

/**
 * One buffer holding the framed records whose payloads are the UTF-8 of each record's `parts` concatenated,
 * encoded straight into it, and views of each payload inside it (the folder keeps those; nothing is copied
 * twice). Callers pass many small strings rather than one large one: V8 builds large strings as trees of
 * pieces, and encoding one that holds a character beyond Latin-1 first flattens it, at 3–5 times the cost of
 * building it (measured on Node 20; docs/ingestion.md#folding-into-duckdb-and-encoding-rows-issue-15-this-version).
 */
export function frameTexts(records: string[][]): { framed: Buffer; payloads: Buffer[] } {
  let size = 0;
  const lengths = records.map((parts) => {
    let n = 0;
    for (const t of parts) n += Buffer.byteLength(t);
    size += RECORD_OVERHEAD + n;
    return n;
  });
  const framed = Buffer.allocUnsafe(size);
  const payloads: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const start = at + RECORD_OVERHEAD;
    let end = start;
    for (const t of records[i]) end += framed.write(t, end, 'utf8');
    const payload = framed.subarray(start, end);
    framed.writeUInt32LE(lengths[i], at);
    framed.writeUInt32LE(checksum(framed, at, payload), at + 4);
    payloads.push(payload);
    at = end;
  }
  return { framed, payloads };
}

function checksum(buf: Buffer, lengthAt: number, payload: Buffer): number {
  return crc32(payload, crc32(buf.subarray(lengthAt, lengthAt + 4)));
}

export interface DecodedRecord {
  /** Byte offset of the record in its segment, and of the byte after it. */
  offset: number;
  end: number;
  payload: Buffer;
}

export interface Skipped {
  offset: number;
  bytes: number;
  reason: 'torn tail' | 'corrupt record' | 'bad header';
}

export interface DecodedSegment {
  records: DecodedRecord[];
  skipped: Skipped[];
}

/** The record at `at`, if one that checks out starts there. */
function recordAt(buf: Buffer, at: number): DecodedRecord | null {
  if (at + RECORD_OVERHEAD > buf.length) return null;
  const len = buf.readUInt32LE(at);
  if (len > MAX_RECORD_BYTES || at + RECORD_OVERHEAD + len > buf.length) return null;
  const payload = buf.subarray(at + RECORD_OVERHEAD, at + RECORD_OVERHEAD + len);
  if (checksum(buf, at, payload) !== buf.readUInt32LE(at + 4)) return null;
  return { offset: at, end: at + RECORD_OVERHEAD + len, payload };
}

/**
 * Decode a whole segment. A bad stretch is skipped by searching forward for the next offset where a
 * record checks out (length in bounds and CRC matching): a corrupted payload loses one record, a
 * corrupted length loses only the bytes up to the next intact record, and bytes after the last intact
 * record are a torn tail (a write the crash interrupted, never acknowledged).
 */
export function decodeSegment(buf: Buffer): DecodedSegment {
  const records: DecodedRecord[] = [];
  const skipped: Skipped[] = [];
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== MAGIC || buf.readUInt16LE(4) !== VERSION) {
    if (buf.length > 0) skipped.push({ offset: 0, bytes: buf.length, reason: 'bad header' });
    return { records, skipped };
  }
  let at = HEADER_BYTES;
  while (at < buf.length) {
    const r = recordAt(buf, at);
    if (r) {
      records.push(r);
      at = r.end;
      continue;
    }
    let next = at + 1;
    while (next < buf.length && !recordAt(buf, next)) next++;
    skipped.push({ offset: at, bytes: next - at, reason: next >= buf.length ? 'torn tail' : 'corrupt record' });
    at = next;
  }
  return { records, skipped };
}
