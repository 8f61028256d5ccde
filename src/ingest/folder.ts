// The folder: moves journalled (already acknowledged) events into the event store in large batches —
// every foldMs, or at once when foldMaxEvents wait — each batch with its journal mark in one store
// transaction, then deletes the journal segments wholly folded. A failed fold keeps its events and retries
// with a growing pause; the journal still holds them, so even a crash loses nothing. It holds the journal
// payloads as they were written (JSON bytes) and hands the store their rows as one JSON array: the main
// thread copies bytes, and the engine parses them on its own threads.
import { Journal, type JournalPosition, reached, type Recovery } from '../store/journal/journal.js';
import { replayChunks } from './journal-writer.js';
import type { EventStore, JournalMark } from '../store/ports.js';

export interface FolderOptions {
  foldMs: number;
  foldMaxEvents: number;
}

export interface FolderHooks {
  log(err: unknown, message: string): void;
}

interface Chunk {
  /** Journal payloads, each a JSON array of event rows. */
  payloads: Buffer[];
  events: number;
  end: JournalPosition;
  bytes: number;
}

/**
 * The rows of every payload (each a JSON array of rows, `[r1,r2,…]`) as one JSON array `[r1,r2,…,rn]`, as the
 * store's fold reads it: each payload's brackets are dropped and the insides joined by commas, bytes copied once.
 */
function foldBatch(chunks: Chunk[]): Buffer {
  let size = 1;
  for (const c of chunks) for (const p of c.payloads) size += p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const c of chunks) {
    for (const p of c.payloads) {
      const first = p.indexOf(0x5b); // '['
      const last = p.lastIndexOf(0x5d); // ']'
      if (first < 0 || last <= first + 1) continue; // `[]`: no rows
      out[at] = at === 0 ? 0x5b : 0x2c; // '[' first, ',' between
      at += 1 + p.copy(out, at + 1, first + 1, last);
    }
  }
  if (at === 0) return out.subarray(0, 0); // nothing to insert (the mark still moves)
  out[at] = 0x5d; // ']'
  return out.subarray(0, at + 1);
}

export type FoldingStore = Required<Pick<EventStore, 'journal'>>['journal'];

export class Folder {
  private pending: Chunk[] = [];
  private events = 0;
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly store: FoldingStore, private readonly journal: Journal, private readonly opts: FolderOptions, private readonly hooks: FolderHooks) {}

  /** Journal bytes acknowledged but not yet folded (the bound of AA_JOURNAL_MAX_BYTES). */
  get unfoldedBytes(): number {
    return this.bytes;
  }

  get unfoldedEvents(): number {
    return this.events;
  }

  /** `events` rows in `payloads`, journalled up to `end` (`bytes` of journal): fold them soon. */
  add(payloads: Buffer[], events: number, end: JournalPosition, bytes: number): void {
    this.pending.push({ payloads, events, end, bytes });
    this.events += events;
    this.bytes += bytes;
    if (this.events >= this.opts.foldMaxEvents) void this.kick();
    else this.arm(this.opts.foldMs);
  }

  /**
   * Fold everything added so far (reads call this first, so they see every acknowledged event). Resolves
   * true when it is folded, false when a fold failed: a read never waits on a failing store, and a caller
   * that needs every event stored (identify's rewrite) can tell.
   */
  async drain(): Promise<boolean> {
    const target = this.pending.at(-1)?.end;
    if (!target) return true;
    // While folds fail, reads do not wait (nor add attempts on top of the backoff): they see what is folded.
    if (this.failures) return false;
    while (this.pending.length && reached(target, this.pending[0].end)) {
      if (!(await (this.running ?? this.kick()))) return false;
    }
    return true;
  }

  /** Fold what is left; what cannot be folded stays in the journal for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running || this.pending.length) {
      if (!(await (this.running ?? this.kick()))) {
        this.hooks.log(new Error('fold failed at shutdown'), `${this.events} acknowledged events stay in the journal and are folded at the next start`);
        return;
      }
    }
  }

  private arm(ms: number): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.kick();
    }, ms);
    this.timer.unref(); // close() folds what is left; a pending timer alone keeps no process alive
  }

  private kick(): Promise<boolean> {
    if (this.running) return this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.foldOnce().finally(() => {
      this.running = null;
      if (this.pending.length && !this.closed) {
        if (this.failures) this.arm(Math.min(5000, this.opts.foldMs * 2 ** this.failures));
        else if (this.events >= this.opts.foldMaxEvents) void this.kick();
        else this.arm(this.opts.foldMs);
      }
    });
    return this.running;
  }

  /** One fold of up to foldMaxEvents events (whole chunks); true when it committed. */
  private async foldOnce(): Promise<boolean> {
    if (this.pending.length === 0) return true;
    let n = 0;
    let take = 0;
    while (take < this.pending.length && (take === 0 || n + this.pending[take].events <= this.opts.foldMaxEvents)) n += this.pending[take++].events;
    const chunks = this.pending.slice(0, take);
    const mark: JournalMark = chunks[chunks.length - 1].end;
    try {
      await this.store.fold(foldBatch(chunks), mark);
    } catch (err) {
      // The commit may have happened before the error surfaced: the mark says.
      const stored = await this.store.mark().catch(() => null);
      if (!stored || !reached(stored, mark)) {
        this.failures++;
        this.hooks.log(err, `folding ${n} journalled events into the event store failed; they wait in the journal (attempt ${this.failures})`);
        return false;
      }
    }
    this.failures = 0;
    this.pending.splice(0, take);
    this.events -= n;
    for (const c of chunks) this.bytes -= c.bytes;
    await this.journal.release(mark).catch((err) => this.hooks.log(err, 'deleting folded journal segments failed'));
    return true;
  }
}

/**
 * Open the journal and fold what the store lacks (a crash's acknowledged tail) before serving: every
 * intact record after the store's mark, in order, then the mark moves to the fresh segment so older
 * segments can go. Skipped bytes are reported; they can only be writes that were never acknowledged,
 * or damage the checksums caught. Replayed events were counted in usage when acknowledged (or, if the
 * crash came first, reconcileUsage adds them next). Reads then wait for the folder (setReadBarrier).
 */
export async function openFoldedJournal(
  store: FoldingStore, opts: FolderOptions & { dir: string; segmentBytes: number }, log: (err: unknown, msg: string) => void,
): Promise<{ journal: Journal; folder: Folder; recovery: Recovery }> {
  const { journal, recovery } = await Journal.open(opts.dir, { segmentBytes: opts.segmentBytes }, await store.mark());
  for (const s of recovery.skipped) log(new Error(s.reason), `ingest journal: skipped ${s.bytes} bytes (${s.reason}) at segment ${s.segment} offset ${s.offset}`);
  const folder = new Folder(store, journal, opts, { log });
  for (const c of replayChunks(recovery.records, log)) folder.add(c.payloads, c.events, c.end, 0);
  await folder.drain();
  if (folder.unfoldedEvents) {
    await journal.close();
    throw new Error(`the ingest journal could not be folded into the event store (${folder.unfoldedEvents} events); see the log above`);
  }
  await store.fold(new Uint8Array(0), journal.position);
  await journal.release(journal.position);
  store.setReadBarrier(async () => { await folder.drain(); });
  return { journal, folder, recovery };
}
