// Every Drop is counted here, per UTC day, project and reason; bot drops also per category and actor
// (the data behind /bot-traffic). The hot path only touches maps: bot counts gather as deltas and are
// written to the meta store every `flushMs` and when the app closes, by an additive upsert, so replicas
// sharing one store add up. Reads are the stored rows plus the deltas not yet written.
import { utcDay } from '../query/time.js';
import type { BotTrafficDay, MetaStore } from '../store/ports.js';
import type { Drop } from './drop.js';

export interface DropCount {
  date: string;
  project_id: string | null;
  reason: string;
  requests: number;
  events: number;
}

/** A bot row as this process counts it: requests whose token named no project have project_id null. */
export interface BotTrafficRow extends Omit<BotTrafficDay, 'project_id'> {
  project_id: string | null;
}

export interface DropCountersOptions {
  /** Where bot counts are persisted; without it they live in this process only. */
  store?: Pick<MetaStore, 'addBotTraffic' | 'botTraffic'>;
  /** Interval of the periodic flush (ms); 0 = only on flush()/close(). */
  flushMs?: number;
  log?: (err: unknown, msg: string) => void;
}

const KEEP_DAYS = 90;
/** Stored bot rows are kept this long: the longest period (90d) and the one it is compared with. */
export const BOT_TRAFFIC_KEEP_DAYS = 180;
/** Actor names are short; a *Crawler word from a hostile User-Agent is cut to this length. */
const MAX_ACTOR_LENGTH = 64;
/**
 * Distinct generic_bot actor names (the open-ended "FooCrawler" words) kept per project and day by one process;
 * later ones are counted as "Unknown". Bot requests are not rate limited, so this bounds the rows a client
 * inventing names can create.
 */
const MAX_GENERIC_ACTORS = 100;

const botKey = (date: string, projectId: string, category: string, actor: string) => `${date}|${projectId}|${category}|${actor}`;

export class DropCounters {
  private drops = new Map<string, DropCount>();
  /** Everything this process counted (last 90 days), unattributed requests included. */
  private bots = new Map<string, BotTrafficRow>();
  /** Distinct generic actors per `date|project` seen by this process. */
  private genericActors = new Map<string, number>();
  /** Deltas of attributed bot rows not yet in the store. */
  private pending = new Map<string, BotTrafficDay>();
  /** Flushes and reads run one at a time, so a read never sees a delta both in the store and pending. */
  private lock: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private today = '';
  private readonly store: DropCountersOptions['store'] | null;
  private readonly log: (err: unknown, msg: string) => void;

  constructor(opts: DropCountersOptions = {}) {
    this.store = opts.store ?? null;
    this.log = opts.log ?? (() => {});
    const every = opts.flushMs ?? 0;
    if (this.store && every > 0) {
      this.timer = setInterval(() => void this.flush(), every);
      this.timer.unref();
    }
  }

  /** Count one dropped request carrying `events` events. */
  count(d: Drop, projectId: string | null, events: number, now = Date.now()): void {
    const date = utcDay(now);
    if (date !== this.today) this.prune(date, now);
    const key = `${date}|${projectId ?? ''}|${d.reason}`;
    const c = this.drops.get(key) ?? { date, project_id: projectId, reason: d.reason, requests: 0, events: 0 };
    c.requests += 1;
    c.events += events;
    this.drops.set(key, c);
    if (!d.bot) return;
    const category = d.bot.category;
    let actor = d.bot.actor.slice(0, MAX_ACTOR_LENGTH);
    let bkey = botKey(date, projectId ?? '', category, actor);
    if (category === 'generic_bot' && actor !== 'Unknown' && !this.bots.has(bkey)) {
      const dayKey = `${date}|${projectId ?? ''}`;
      const seen = this.genericActors.get(dayKey) ?? 0;
      if (seen >= MAX_GENERIC_ACTORS) {
        actor = 'Unknown';
        bkey = botKey(date, projectId ?? '', category, actor);
      } else this.genericActors.set(dayKey, seen + 1);
    }
    const b = this.bots.get(bkey) ?? { date, project_id: projectId, category, actor, requests: 0, dropped_events: 0, last_seen_at: 0 };
    b.requests += 1;
    b.dropped_events += events;
    b.last_seen_at = Math.max(b.last_seen_at, now);
    this.bots.set(bkey, b);
    if (projectId !== null && this.store) {
      this.addPending({ date, project_id: projectId, category, actor, requests: 1, dropped_events: events, last_seen_at: now }, bkey);
    }
  }

  /** Drop counts from `fromDate` on (inclusive), optionally for some projects only. */
  dropCounts(fromDate: string, projectIds?: string[]): DropCount[] {
    const want = projectIds ? new Set(projectIds) : null;
    return [...this.drops.values()].filter((c) => c.date >= fromDate && (!want || (c.project_id !== null && want.has(c.project_id))));
  }

  /** Bot rows this process counted for these projects from `fromDate` on (inclusive); not the persisted totals. */
  botTraffic(projectIds: string[], fromDate: string): BotTrafficRow[] {
    const want = new Set(projectIds);
    return [...this.bots.values()].filter((b) => b.date >= fromDate && b.project_id !== null && want.has(b.project_id));
  }

  /**
   * Bot traffic of these projects dated `fromDate` … `toDate`: the stored rows plus the deltas not yet
   * written, one row per (date, project, category, actor). Without a store: this process's counts.
   */
  async botTrafficDays(projectIds: string[], fromDate: string, toDate: string): Promise<BotTrafficDay[]> {
    const want = new Set(projectIds);
    const inRange = (r: { date: string; project_id: string | null }) => r.project_id !== null && want.has(r.project_id) && r.date >= fromDate && r.date <= toDate;
    const store = this.store;
    if (!store) return [...this.bots.values()].filter(inRange).map((r) => ({ ...r, project_id: r.project_id! }));
    if (projectIds.length === 0) return [];
    return this.exclusive(async () => {
      const stored = await store.botTraffic(projectIds, fromDate, toDate);
      // Synchronously from here: deltas counted while the store answered are not in it (no flush can run).
      const rows = new Map(stored.map((r) => [botKey(r.date, r.project_id, r.category, r.actor), { ...r }]));
      for (const [k, p] of this.pending) {
        if (!inRange(p)) continue;
        const r = rows.get(k);
        if (!r) rows.set(k, { ...p });
        else {
          r.requests += p.requests;
          r.dropped_events += p.dropped_events;
          r.last_seen_at = Math.max(r.last_seen_at, p.last_seen_at);
        }
      }
      return [...rows.values()];
    });
  }

  /** Write the pending deltas to the store; on failure they stay pending for the next flush. */
  flush(): Promise<void> {
    const store = this.store;
    if (!store) return Promise.resolve();
    return this.exclusive(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await store.addBotTraffic(batch);
      } catch (err) {
        // addBotTraffic is one transaction: nothing of the batch landed, so it is safe to retry it whole.
        for (const r of batch) this.addPending(r, botKey(r.date, r.project_id, r.category, r.actor));
        this.log(err, `bot traffic write of ${batch.length} rows failed; kept for the next flush`);
      }
    });
  }

  /** Stop the periodic flush and write what is pending (the app's close). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private addPending(delta: BotTrafficDay, key: string): void {
    const p = this.pending.get(key);
    if (!p) {
      this.pending.set(key, { ...delta });
      return;
    }
    p.requests += delta.requests;
    p.dropped_events += delta.dropped_events;
    p.last_seen_at = Math.max(p.last_seen_at, delta.last_seen_at);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(() => {}, () => {});
    return run;
  }

  private prune(date: string, now: number): void {
    this.today = date;
    this.genericActors.clear();
    const cutoff = utcDay(now - KEEP_DAYS * 86_400_000);
    for (const [k, c] of this.drops) if (c.date < cutoff) this.drops.delete(k);
    for (const [k, b] of this.bots) if (b.date < cutoff) this.bots.delete(k);
  }
}
