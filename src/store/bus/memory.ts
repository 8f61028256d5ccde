// In-process LiveBus: per-project ring buffer (age- and count-bounded) plus local subscribers.
import type { LiveBus, LiveEvent } from '../ports.js';

export class MemoryLiveBus implements LiveBus {
  private buffers = new Map<string, LiveEvent[]>();
  private subscribers = new Map<string, Set<(e: LiveEvent) => void>>();

  constructor(
    private readonly opts: { bufferSeconds: number; bufferEvents: number },
    private readonly now: () => number = Date.now,
  ) {}

  publish(events: LiveEvent[]): void {
    for (const e of events) {
      let buf = this.buffers.get(e.project_id);
      if (!buf) this.buffers.set(e.project_id, (buf = []));
      buf.push(e);
      if (buf.length > this.opts.bufferEvents) buf.splice(0, buf.length - this.opts.bufferEvents);
      for (const fn of this.subscribers.get(e.project_id) ?? []) fn(e);
    }
  }

  subscribe(projectId: string, onEvent: (e: LiveEvent) => void): () => void {
    let set = this.subscribers.get(projectId);
    if (!set) this.subscribers.set(projectId, (set = new Set()));
    set.add(onEvent);
    return () => {
      set!.delete(onEvent);
      if (set!.size === 0) this.subscribers.delete(projectId);
    };
  }

  recent(projectId: string): LiveEvent[] {
    const buf = this.buffers.get(projectId);
    if (!buf) return [];
    const cutoff = this.now() - this.opts.bufferSeconds * 1000;
    let drop = 0;
    while (drop < buf.length && buf[drop].timestamp < cutoff) drop++;
    if (drop) buf.splice(0, drop);
    return buf.slice();
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
