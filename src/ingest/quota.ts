// Event quotas (§1.7/§1.8): lifetime and monthly accepted events per account, counted in memory
// (seeded once from the usage table) so the hot path never queries; a batch crossing a cap is refused whole.
import { ApiError } from '../errors.js';
import type { Account, MetaStore, TierLimits } from '../store/ports.js';
import { type Drop, drop } from './drop.js';

interface Tally {
  lifetime: number;
  month: string;
  monthly: number;
}

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
const secondsToNextMonth = (ms: number): number => {
  const d = new Date(ms);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - ms) / 1000));
};

/** A granted reservation; give it back when the events are not stored after all. */
export type Release = () => void;
const NOTHING: Release = () => {};

export class EventQuotas {
  private tallies = new Map<string, Promise<Tally>>();

  constructor(private readonly meta: MetaStore) {}

  /** Reserve `n` events for the account, or a 429 Drop naming the cap that would be crossed. */
  async reserve(account: Account, limits: TierLimits, n: number, now = Date.now()): Promise<Release | Drop> {
    const lifetimeCap = limits.max_events_lifetime;
    const monthlyCap = limits.max_events_per_month;
    if (lifetimeCap === -1 && monthlyCap === -1) return NOTHING;
    const t = await this.tally(account.id, now);
    const month = monthOf(now);
    if (t.month !== month) {
      t.month = month;
      t.monthly = 0;
    }
    if (lifetimeCap !== -1 && t.lifetime + n > lifetimeCap) {
      return drop('quota', new ApiError(429, 'RATE_LIMITED',
        `lifetime event limit of ${lifetimeCap} events reached (${t.lifetime} accepted${n > 1 ? `, this batch has ${n}` : ''}); upgrade the account or ask the operator to raise max_events_lifetime`,
        { reason: 'lifetime_event_limit' }, { 'Retry-After': 86_400 }));
    }
    if (monthlyCap !== -1 && t.monthly + n > monthlyCap) {
      const retry = secondsToNextMonth(now);
      // The contract's reason enum has no monthly value; §1.7 reuses lifetime_event_limit and names the cap here.
      return drop('quota', new ApiError(429, 'RATE_LIMITED',
        `monthly event cap of ${monthlyCap} events reached for ${month} (${t.monthly} accepted); it resets in ${retry} s at the start of next month (UTC)`,
        { reason: 'lifetime_event_limit' }, { 'Retry-After': retry }));
    }
    t.lifetime += n;
    t.monthly += n;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      t.lifetime -= n;
      if (t.month === month) t.monthly -= n;
    };
  }

  private tally(accountId: string, now: number): Promise<Tally> {
    let t = this.tallies.get(accountId);
    if (!t) {
      const month = monthOf(now);
      t = Promise.all([this.meta.accountEvents(accountId), this.meta.accountEvents(accountId, `${month}-01`)])
        .then(([lifetime, monthly]) => ({ lifetime, month, monthly }));
      this.tallies.set(accountId, t);
      t.catch(() => this.tallies.delete(accountId));
    }
    return t;
  }
}
