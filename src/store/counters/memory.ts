// In-process Counters: fixed windows and slots for a single-node server.
import type { Counters } from '../ports.js';

export class MemoryCounters implements Counters {
  private windows = new Map<string, { start: number; count: number }>();
  private slots = new Map<string, number>();
  private handlers: ((channel: string, message: string) => void)[] = [];
  private sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Forget expired windows so memory stays bounded by the number of active accounts.
    this.sweeper = setInterval(() => {
      const t = this.now();
      for (const [k, w] of this.windows) if (t - w.start > 3_600_000) this.windows.delete(k);
    }, 60_000);
    this.sweeper.unref();
  }

  async hit(key: string, windowSec: number, amount = 1) {
    const t = this.now();
    const windowMs = windowSec * 1000;
    const start = Math.floor(t / windowMs) * windowMs;
    const fullKey = `${key}:${windowSec}`;
    let w = this.windows.get(fullKey);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(fullKey, w);
    }
    w.count += amount;
    return { count: w.count, resetSec: Math.max(1, Math.ceil((start + windowMs - t) / 1000)) };
  }

  async acquire(key: string, max: number) {
    const used = this.slots.get(key) ?? 0;
    if (used >= max) return null;
    this.slots.set(key, used + 1);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const n = (this.slots.get(key) ?? 1) - 1;
      if (n <= 0) this.slots.delete(key);
      else this.slots.set(key, n);
    };
  }

  async invalidate(channel: string, message: string) {
    for (const h of this.handlers) h(channel, message);
  }

  onInvalidate(handler: (channel: string, message: string) => void) {
    this.handlers.push(handler);
  }

  async close() {
    clearInterval(this.sweeper);
  }
}
