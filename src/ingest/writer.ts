// The group-commit writer: requests wait while a micro-batch gathers (flushMs, or at once when maxBatch
// events wait), the batch is inserted in one transaction, and only then is each waiting request released.
// A failed insert fails exactly its requests; a full queue refuses new work (503 + Retry-After); close drains.
import { ApiError } from '../errors.js';
import type { EventRow, EventStore } from '../store/ports.js';
import { dialectFor } from '../query/sql/dialects/index.js';
import { compileStoredIds } from '../query/sql/ingest.js';

export interface WriterOptions {
  flushMs: number;
  maxBatch: number;
  maxQueue: number;
}

export interface WriterHooks<A> {
  /** After the commit, before any request is released (usage counters); failures are logged, never fatal. */
  committed(rows: EventRow[]): Promise<void>;
  /** After the requests are released, with what their submitters attached (live fan-out). */
  acknowledged(attached: A[]): void;
  /** Where failures are reported. */
  log(err: unknown, message: string): void;
}

export interface Pending<A> {
  rows: EventRow[];
  attached: A[];
  at: number;
  resolve: () => void;
  reject: (err: WriteRefused) => void;
}

/** A 503 from the writer: `overloaded` (queue full, shutting down) or `write_failed` (the insert failed). */
export class WriteRefused extends ApiError {
  constructor(readonly reason: 'overloaded' | 'write_failed', message: string) {
    super(503, 'SERVICE_UNAVAILABLE', message, {}, { 'Retry-After': 1 });
  }
}

/** What the ingest pipeline writes through: the journal writer (embedded) or the direct store writer. */
export interface EventWriter<A> {
  readonly depth: number;
  /** Resolves once the rows are durable (an empty submit is a barrier: everything before it is in the store). */
  submit(rows: EventRow[], attached?: A[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Gathering and ordering shared by both writers: requests queue while a micro-batch gathers (flushMs, or at
 * once when maxBatch events wait), one commit runs at a time, whole requests only, and close drains.
 */
export abstract class GroupCommit<A> implements EventWriter<A> {
  private queue: Pending<A>[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  protected closed = false;

  constructor(protected readonly opts: WriterOptions) {}

  /** Make one micro-batch durable and settle each of its requests. */
  protected abstract commit(batch: Pending<A>[]): Promise<void>;

  /** A reason to refuse new rows besides the queue bound (null: accept). */
  protected admit(_rows: EventRow[]): WriteRefused | null {
    return null;
  }

  /** Events waiting for a commit right now. */
  get depth(): number {
    return this.queued;
  }

  /**
   * Resolves once every row is durably committed; rejects with a 503 WriteRefused otherwise.
   * `attached` travels along and is handed to the acknowledged hook after the commit.
   */
  submit(rows: EventRow[], attached: A[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new WriteRefused('overloaded', 'the server is shutting down; retry in a moment'));
    if (this.queued + rows.length > this.opts.maxQueue) {
      return Promise.reject(new WriteRefused('overloaded', `ingestion queue is full (${this.opts.maxQueue} events waiting for disk); retry after a second`));
    }
    const refused = this.admit(rows);
    if (refused) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, attached, at: Date.now(), resolve, reject });
      this.queued += rows.length;
      this.schedule();
    });
  }

  /** Stop accepting, commit everything already queued, and resolve every waiting request. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight || this.queue.length) {
      if (this.inFlight) await this.inFlight;
      else this.flush();
    }
  }

  private schedule(): void {
    if (this.inFlight || this.closed) return; // the running flush looks at the queue when it ends
    const wait = this.queued >= this.opts.maxBatch ? 0 : this.opts.flushMs - (Date.now() - this.queue[0].at);
    if (wait <= 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
    }
  }

  private flush(): void {
    if (this.inFlight || this.queue.length === 0) return;
    // Whole requests only: a /track/batch request is one transaction or nothing.
    const batch: Pending<A>[] = [];
    let n = 0;
    while (this.queue.length && (batch.length === 0 || n + this.queue[0].rows.length <= this.opts.maxBatch)) {
      const p = this.queue.shift()!;
      batch.push(p);
      n += p.rows.length;
    }
    this.queued -= n;
    this.inFlight = this.commit(batch).finally(() => {
      this.inFlight = null;
      if (this.queue.length && !this.closed) this.schedule();
    });
  }

}

/** The direct writer: each micro-batch is one event-store transaction, released after it commits (cluster mode). */
export class GroupCommitWriter<A = unknown> extends GroupCommit<A> {
  constructor(private readonly store: EventStore, opts: WriterOptions, private readonly hooks: WriterHooks<A>) {
    super(opts);
  }

  protected async commit(batch: Pending<A>[]): Promise<void> {
    const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((p) => p.rows);
    let done = batch;
    try {
      await this.store.insert(rows);
    } catch (err) {
      this.hooks.log(err, `event insert of ${rows.length} rows failed`);
      done = await this.settleFailure(batch);
    }
    if (done.length) {
      const committed = done === batch ? rows : done.flatMap((p) => p.rows);
      await this.hooks.committed(committed).catch((err) => this.hooks.log(err, 'post-commit bookkeeping failed'));
      for (const p of done) p.resolve();
      try {
        this.hooks.acknowledged(done.length === 1 ? done[0].attached : done.flatMap((p) => p.attached));
      } catch (err) {
        this.hooks.log(err, 'live fan-out failed');
      }
    }
  }

  /**
   * The insert threw: it may still have committed (e.g. an error after the commit), so look the ids up
   * first — a committed request gets its 202 and is never written twice. Absent requests of a shared
   * batch are retried one by one, so one poisoned request cannot fail its neighbours; what still fails
   * gets a 503 and nothing of it is stored (the client's retry cannot duplicate).
   */
  private async settleFailure(batch: Pending<A>[]): Promise<Pending<A>[]> {
    let present: Set<string>;
    try {
      present = await this.presentIds(batch.flatMap((p) => p.rows.map((r) => r.id)));
    } catch (err) {
      this.hooks.log(err, 'could not verify a failed insert');
      for (const p of batch) p.reject(new WriteRefused('write_failed', 'events could not be confirmed as stored; retry the request'));
      return [];
    }
    const done: Pending<A>[] = [];
    for (const p of batch) {
      if (p.rows.every((r) => present.has(r.id))) {
        done.push(p);
        continue;
      }
      if (batch.length > 1) {
        try {
          await this.store.insert(p.rows);
          done.push(p);
          continue;
        } catch (err) {
          this.hooks.log(err, `event insert of one request (${p.rows.length} rows) failed`);
        }
      }
      p.reject(new WriteRefused('write_failed', 'events could not be stored; nothing from this request was saved, retry it'));
    }
    return done;
  }

  private async presentIds(ids: string[]): Promise<Set<string>> {
    const d = dialectFor(this.store);
    const present = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.store.query<{ id: string }>(compileStoredIds(d, chunk));
      for (const r of rows) present.add(r.id);
    }
    return present;
  }
}
