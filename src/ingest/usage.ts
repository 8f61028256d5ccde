// Usage bookkeeping for accepted events: per project and receive date into the meta store after each
// commit, and a start-up reconcile that re-adds what a kill -9 between commit and bookkeeping lost.
import { utcDay } from '../query/time.js';
import type { EventRow, EventStore, MetaStore, UsageDelta } from '../store/ports.js';
import { dialectFor } from '../query/sql/dialects/index.js';
import { compileReceivedPerDay } from '../query/sql/ingest.js';

/** Accepted events per project and UTC receive date. */
export function usageDeltas(rows: EventRow[]): UsageDelta[] {
  const counts = new Map<string, UsageDelta>();
  for (const r of rows) {
    const date = utcDay(r.received_at);
    const key = `${r.project_id}|${date}`;
    const d = counts.get(key);
    if (d) d.events! += 1;
    else counts.set(key, { project_id: r.project_id, date, events: 1 });
  }
  return [...counts.values()];
}

/**
 * Writes usage behind the commits: each commit's counts are merged into a pending map, and one meta-store
 * write at a time carries everything pending — so usage never sits between a commit and its 202, and under
 * load many commits share one write. A crash loses at most the pending counts; reconcileUsage restores them.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  private writing: Promise<void> | null = null;

  constructor(private readonly meta: MetaStore, private readonly log: (err: unknown, msg: string) => void) {}

  record(rows: EventRow[]): void {
    for (const d of usageDeltas(rows)) {
      const key = `${d.project_id}|${d.date}`;
      const p = this.pending.get(key);
      if (p) p.events! += d.events!;
      else this.pending.set(key, d);
    }
    this.kick();
  }

  private kick(): void {
    if (!this.pending.size || this.writing) return;
    // Chain the reset on the promise itself: drain() may finish synchronously (nothing pending), and
    // resetting inside it would run before this assignment and leave a settled promise behind forever.
    // Counts recorded between drain()'s last check and this reset would wait for the next commit:
    // look again once the reset is done.
    this.writing = this.drain().finally(() => {
      this.writing = null;
      this.kick();
    });
  }

  /** Resolves when everything recorded so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      await this.meta.addUsage(batch).catch((err) => this.log(err, `usage write of ${batch.length} counters failed`));
    }
  }
}

const RECONCILE_DAYS = 3;

/**
 * Events are committed before their usage is counted, so a crash in between leaves usage short.
 * On start, compare recent receive dates in the event store with the usage table and add the gap
 * (never subtract: the retention purge legitimately removes events that were counted).
 */
export async function reconcileUsage(events: EventStore, meta: MetaStore, now = Date.now()): Promise<UsageDelta[]> {
  const from = Date.parse(`${utcDay(now - (RECONCILE_DAYS - 1) * 86_400_000)}T00:00:00Z`);
  const stored = await events.query<{ project_id: string; day: string; n: number }>(compileReceivedPerDay(dialectFor(events), from));
  const byDay = new Map<string, typeof stored>();
  for (const r of stored) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  const deltas: UsageDelta[] = [];
  for (const [day, rows] of byDay) {
    const usage = await meta.usage(rows.map((r) => r.project_id), day);
    for (const r of rows) {
      const counted = usage.get(r.project_id)?.events_today ?? 0;
      if (Number(r.n) > counted) deltas.push({ project_id: r.project_id, date: day, events: Number(r.n) - counted });
    }
  }
  await meta.addUsage(deltas);
  return deltas;
}
