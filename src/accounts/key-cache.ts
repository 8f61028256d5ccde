// API key → account, cached briefly per process; rotation and account changes invalidate every replica
// through the Counters' pub/sub. Keys are looked up by their hash only.
import type { Account, Counters, MetaStore } from '../store/ports.js';
import { hashKey } from './credentials.js';

/** Account lookups by key hash, cached briefly; rotation invalidates every replica through Counters. */
export class KeyCache {
  private cache = new Map<string, { account: Account | null; at: number }>();
  constructor(private readonly meta: MetaStore, counters: Counters, private readonly ttlMs = 5_000) {
    counters.onInvalidate((channel, message) => {
      if (channel === 'keys') this.cache.delete(message);
      if (channel === 'accounts') this.cache.clear();
    });
  }

  async lookup(key: string): Promise<Account | null> {
    const hash = hashKey(key);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.account;
    const account = await this.meta.accountByKeyHash(hash);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { account, at: Date.now() });
    return account;
  }
}
