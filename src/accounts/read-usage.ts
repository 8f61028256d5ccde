// Counts API reads per project and day in memory and writes them to the meta store in batches,
// so a read never waits on a write. A crash loses at most one interval of read counts, never events.
import type { MetaStore } from '../store/ports.js';
import { utcDate } from './projects.js';

export class ReadUsage {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout;

  constructor(private readonly meta: MetaStore, intervalMs = 1000) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  record(projectId: string): void {
    const key = `${projectId}|${utcDate()}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    await this.meta.addUsage([...batch].map(([k, reads]) => {
      const [project_id, date] = k.split('|');
      return { project_id, date, reads };
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
