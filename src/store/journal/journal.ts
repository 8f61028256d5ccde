// The ingest journal: numbered segment files in one folder, appended to by one writer. A segment is opened
// with O_DSYNC, so an append is one write that returns only once the data is on disk (write + fdatasync in
// one system call, one trip to libuv's thread pool), and the event loop keeps serving meanwhile. Opening replays what the event store has not folded yet and always starts
// a fresh segment, so nothing is ever appended after a torn or corrupted tail.
import { constants } from 'node:fs';
import { open, type FileHandle, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSegment, HEADER_BYTES, segmentHeader, type Skipped } from './format.js';

/** A place in the journal: the byte after the last record folded (or written) in `segment`. */
export interface JournalPosition {
  segment: number;
  offset: number;
}

export interface ReplayRecord {
  payload: Buffer;
  /** The position just after this record. */
  end: JournalPosition;
}

export interface Recovery {
  /** Intact records after the store's mark, in journal order. */
  records: ReplayRecord[];
  /** Stretches of bytes that were not intact records, by segment. */
  skipped: (Skipped & { segment: number })[];
}

const NAME = /^(\d{16})\.aaj$/;
const fileName = (seq: number): string => `${String(seq).padStart(16, '0')}.aaj`;

/** True when `a` is at or past `b`. */
export const reached = (a: JournalPosition, b: JournalPosition): boolean => a.segment > b.segment || (a.segment === b.segment && a.offset >= b.offset);

export class Journal {
  private fh: FileHandle | null = null;
  private seq = 0;
  private size = 0;
  /** Set when a failed append could not be undone: the next append starts a new segment. */
  private broken = false;

  private constructor(readonly dir: string, private readonly segmentBytes: number, private existing: number[]) {}

  /** Open the folder, collecting every intact record past `mark` (the store's folded position). */
  static async open(dir: string, opts: { segmentBytes: number }, mark: JournalPosition | null): Promise<{ journal: Journal; recovery: Recovery }> {
    await mkdir(dir, { recursive: true });
    const seqs = (await readdir(dir)).map((n) => NAME.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    const recovery: Recovery = { records: [], skipped: [] };
    const keep: number[] = [];
    for (const seq of seqs) {
      if (mark && seq < mark.segment) {
        await unlink(join(dir, fileName(seq))); // folded before the last stop, not yet deleted
        continue;
      }
      keep.push(seq);
      const { records, skipped } = decodeSegment(await readFile(join(dir, fileName(seq))));
      for (const s of skipped) recovery.skipped.push({ ...s, segment: seq });
      for (const r of records) {
        const end = { segment: seq, offset: r.end };
        if (!mark || !reached(mark, end)) recovery.records.push({ payload: r.payload, end });
      }
    }
    const journal = new Journal(dir, opts.segmentBytes, keep);
    journal.seq = Math.max(seqs.at(-1) ?? 0, mark?.segment ?? 0);
    await journal.rotate();
    return { journal, recovery };
  }

  /** Where the next record will start. */
  get position(): JournalPosition {
    return { segment: this.seq, offset: this.size };
  }

  /**
   * Write `framed` (whole records) durably (O_DSYNC); resolves with the position after them.
   * One append at a time. On failure the segment is cut back to where it was, so a failed append leaves
   * no partial record behind (or, if even that fails, the next append starts a new segment).
   */
  async append(framed: Buffer): Promise<JournalPosition> {
    if (this.broken || (this.size > HEADER_BYTES && this.size + framed.length > this.segmentBytes)) await this.rotate();
    const fh = this.fh!;
    const start = this.size;
    try {
      let done = 0;
      while (done < framed.length) {
        const { bytesWritten } = await fh.write(framed, done, framed.length - done, start + done);
        done += bytesWritten;
      }
    } catch (err) {
      await fh.truncate(start).then(() => fh.sync()).catch(() => void (this.broken = true));
      throw err;
    }
    this.size = start + framed.length;
    return { segment: this.seq, offset: this.size };
  }

  /** Delete every segment wholly before `mark` (its records are folded into the store). */
  async release(mark: JournalPosition): Promise<void> {
    const gone = this.existing.filter((s) => s < mark.segment);
    this.existing = this.existing.filter((s) => s >= mark.segment);
    for (const s of gone) await unlink(join(this.dir, fileName(s))).catch(() => {});
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
  }

  /** Start segment seq+1: header written and synced, and the folder synced so the new name survives a crash. */
  private async rotate(): Promise<void> {
    const next = this.seq + 1;
    const fh = await open(join(this.dir, fileName(next)), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC, 0o644);
    try {
      await fh.write(segmentHeader(), 0, HEADER_BYTES, 0);
      await syncDir(this.dir);
    } catch (err) {
      await fh.close().catch(() => {});
      await unlink(join(this.dir, fileName(next))).catch(() => {});
      throw err;
    }
    await this.fh?.close().catch(() => {});
    this.fh = fh;
    this.seq = next;
    this.size = HEADER_BYTES;
    this.broken = false;
    this.existing.push(next);
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
