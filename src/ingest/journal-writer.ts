// The embedded writer: a micro-batch of requests becomes one journal append (one O_DSYNC write off the
// event loop), and each request is released with its 202 once that write returns; the rows then go to the
// folder (into the event store within foldMs) and to the live bus. The journal record of one request keeps
// its enriched rows as a JSON array of row objects (docs/ingestion.md#durability-the-ingest-journal).
import { Journal, type ReplayRecord } from '../store/journal/journal.js';
import { frameTexts } from '../store/journal/format.js';
import type { EventRow } from '../store/ports.js';
import type { Folder } from './folder.js';
import { GroupCommit, type Pending, type WriterOptions, WriteRefused } from './writer.js';

export interface JournalWriterOptions extends WriterOptions {
  /** Acknowledged events not yet folded, in journal bytes, at most; past it new requests get 503. */
  maxBytes: number;
}

export interface JournalWriterHooks<A> {
  /** After the durable write, before any request is released (usage counters); never fatal. */
  journalled(rows: EventRow[]): void;
  /** After the requests are released, with what their submitters attached (live fan-out). */
  acknowledged(attached: A[]): void;
  log(err: unknown, message: string): void;
}

/**
 * One request's rows as the parts of a journal payload that together are a JSON array of row objects (keys:
 * EVENT_COLUMNS): one string per row, not one for the array (frameTexts says why).
 */
export function encodeRows(rows: EventRow[]): string[] {
  if (rows.length === 0) return ['[]'];
  const parts: string[] = new Array(2 * rows.length + 1);
  parts[0] = '[';
  for (let i = 0; i < rows.length; i++) {
    parts[2 * i + 1] = JSON.stringify(rows[i]);
    parts[2 * i + 2] = i === rows.length - 1 ? ']' : ',';
  }
  return parts;
}

export class JournalWriter<A = unknown> extends GroupCommit<A> {
  constructor(private readonly journal: Journal, private readonly folder: Folder, protected readonly opts: JournalWriterOptions, private readonly hooks: JournalWriterHooks<A>) {
    super(opts);
  }

  /**
   * An empty submit is a barrier: it resolves once everything before it is journalled and folded, and is
   * refused (503) while folds fail, so a caller that rewrites stored events (identify) cannot miss the ones
   * still waiting in the journal.
   */
  override async submit(rows: EventRow[], attached: A[] = []): Promise<void> {
    await super.submit(rows, attached);
    if (rows.length === 0 && !(await this.folder.drain())) {
      throw new WriteRefused('overloaded', `the event store is not accepting writes right now: ${this.folder.unfoldedEvents} accepted events wait in the journal; retry in a few seconds`);
    }
  }

  protected override admit(): WriteRefused | null {
    if (this.folder.unfoldedBytes < this.opts.maxBytes) return null;
    return new WriteRefused('overloaded', `the event store is behind: ${this.folder.unfoldedEvents} accepted events (${Math.round(this.folder.unfoldedBytes / 1048576)} MB of journal) wait to be stored; retry after a second`);
  }

  protected async commit(batch: Pending<A>[]): Promise<void> {
    const texts: string[][] = [];
    for (const p of batch) if (p.rows.length) texts.push(encodeRows(p.rows));
    if (texts.length) {
      const { framed, payloads } = frameTexts(texts);
      let end;
      try {
        end = await this.journal.append(framed);
      } catch (err) {
        this.hooks.log(err, `journal append of ${batch.length} requests failed`);
        for (const p of batch) p.reject(new WriteRefused('write_failed', 'the ingest journal could not be written (disk full or unwritable); nothing from this request was saved, retry after a second'));
        return;
      }
      const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((p) => p.rows);
      this.folder.add(payloads, rows.length, end, framed.length);
      try {
        this.hooks.journalled(rows);
      } catch (err) {
        this.hooks.log(err, 'post-journal bookkeeping failed');
      }
    }
    for (const p of batch) p.resolve();
    try {
      this.hooks.acknowledged(batch.length === 1 ? batch[0].attached : batch.flatMap((p) => p.attached));
    } catch (err) {
      this.hooks.log(err, 'live fan-out failed');
    }
  }
}

/**
 * Replayed journal records as fold chunks. A record that passed its checksum but is not an array of rows
 * (which only a bug could write) is reported and not folded, so it cannot fail the whole fold.
 */
export function replayChunks(records: ReplayRecord[], log: (err: unknown, msg: string) => void): { payloads: Buffer[]; events: number; end: ReplayRecord['end'] }[] {
  return records.map((r) => {
    try {
      const rows = JSON.parse(r.payload.toString('utf8')) as unknown;
      if (!Array.isArray(rows) || !rows.every((x) => typeof x === 'object' && x !== null && typeof (x as EventRow).id === 'string')) throw new Error('not an array of event rows');
      return { payloads: [r.payload], events: rows.length, end: r.end };
    } catch (err) {
      log(err, `journal record ending at segment ${r.end.segment} offset ${r.end.offset} passed its checksum but does not decode; skipped`);
      return { payloads: [], events: 0, end: r.end };
    }
  });
}
