// Every Drop is counted here, per UTC day, project and reason; bot drops also per category and actor
// (the data behind /bot-traffic). In memory, bounded to the last 90 days.
import { utcDay } from '../query/time.js';
import type { Drop } from './drop.js';

export interface DropCount {
  date: string;
  project_id: string | null;
  reason: string;
  requests: number;
  events: number;
}

export interface BotTrafficRow {
  date: string;
  project_id: string | null;
  category: string;
  actor: string;
  requests: number;
  dropped_events: number;
  last_seen_at: number;
}

const KEEP_DAYS = 90;

export class DropCounters {
  private drops = new Map<string, DropCount>();
  private bots = new Map<string, BotTrafficRow>();
  private today = '';

  /** Count one dropped request carrying `events` events. */
  count(d: Drop, projectId: string | null, events: number, now = Date.now()): void {
    const date = utcDay(now);
    if (date !== this.today) this.prune(date, now);
    const key = `${date}|${projectId ?? ''}|${d.reason}`;
    const c = this.drops.get(key) ?? { date, project_id: projectId, reason: d.reason, requests: 0, events: 0 };
    c.requests += 1;
    c.events += events;
    this.drops.set(key, c);
    if (d.bot) {
      const bkey = `${date}|${projectId ?? ''}|${d.bot.category}|${d.bot.actor}`;
      const b = this.bots.get(bkey) ?? { date, project_id: projectId, category: d.bot.category, actor: d.bot.actor, requests: 0, dropped_events: 0, last_seen_at: 0 };
      b.requests += 1;
      b.dropped_events += events;
      b.last_seen_at = now;
      this.bots.set(bkey, b);
    }
  }

  /** Drop counts from `fromDate` on (inclusive), optionally for some projects only. */
  dropCounts(fromDate: string, projectIds?: string[]): DropCount[] {
    const want = projectIds ? new Set(projectIds) : null;
    return [...this.drops.values()].filter((c) => c.date >= fromDate && (!want || (c.project_id !== null && want.has(c.project_id))));
  }

  /** Bot traffic rows of these projects from `fromDate` on (inclusive). */
  botTraffic(projectIds: string[], fromDate: string): BotTrafficRow[] {
    const want = new Set(projectIds);
    return [...this.bots.values()].filter((b) => b.date >= fromDate && b.project_id !== null && want.has(b.project_id));
  }

  private prune(date: string, now: number): void {
    this.today = date;
    const cutoff = utcDay(now - KEEP_DAYS * 86_400_000);
    for (const [k, c] of this.drops) if (c.date < cutoff) this.drops.delete(k);
    for (const [k, b] of this.bots) if (b.date < cutoff) this.bots.delete(k);
  }
}
