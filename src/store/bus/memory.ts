// In-process LiveBus: a per-project ring buffer (last bufferSeconds, at most bufferEvents) plus local
// subscribers. A Redis bus reuses it per replica: it publishes to Redis and feeds every message it
// receives (its own included) into receive(), so buffers and streams look the same on every replica.
import type { LiveBus, LiveEvent } from '../ports.js';
import { Ring } from './ring.js';

/** A buffered event and when this replica received it (age eviction uses arrival, not the client's timestamp). */
interface Entry {
  event: LiveEvent;
  at: number;
}

type Listener = (e: LiveEvent) => void;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface MemoryLiveBusOptions {
  bufferSeconds: number;
  bufferEvents: number;
  /** How often idle projects' expired events are dropped (ms); default min(bufferSeconds, 15 s). */
  sweepMs?: number;
}

export class MemoryLiveBus implements LiveBus {
  private rings = new Map<string, Ring<Entry>>();
  private listeners = new Map<string, Set<Listener>>();
  private lastAt = 0;
  private sweeper: NodeJS.Timeout;

  constructor(
    private readonly opts: MemoryLiveBusOptions,
    private readonly now: () => number = Date.now,
  ) {
    // Without this, a project that stops receiving events would hold its last buffer forever.
    const every = opts.sweepMs ?? Math.min(opts.bufferSeconds * 1000, 15_000);
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  publish(events: LiveEvent[]): void {
    this.receive(events);
  }

  /** Buffer events on this replica and hand each to the project's local subscribers. Never throws. */
  receive(events: LiveEvent[]): void {
    // Arrival times never go backwards, so the oldest entry is always at the head of the ring.
    const at = (this.lastAt = Math.max(this.lastAt, this.now()));
    for (const event of events) {
      let ring = this.rings.get(event.project_id);
      if (!ring) this.rings.set(event.project_id, (ring = new Ring<Entry>(this.opts.bufferEvents)));
      ring.push({ event, at });
      const set = this.listeners.get(event.project_id);
      if (!set) continue;
      for (const fn of set) {
        try {
          fn(event);
        } catch {
          // A failing stream must not stop delivery to the others nor fail the writer's commit.
        }
      }
    }
  }

  subscribe(projectId: string, onEvent: (e: LiveEvent) => void): () => void {
    let set = this.listeners.get(projectId);
    if (!set) this.listeners.set(projectId, (set = new Set()));
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const listener: Listener = (e) => onEvent(e);
    set.add(listener);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = this.listeners.get(projectId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(projectId);
    };
  }

  recent(projectId: string): LiveEvent[] {
    const ring = this.trimmed(projectId);
    return ring ? ring.toArray().map((x) => x.event) : [];
  }

  since(projectId: string, lastEventId: string): LiveEvent[] {
    const ring = this.trimmed(projectId);
    if (!ring) return [];
    for (let i = ring.size - 1; i >= 0; i--) {
      if (ring.at(i).event.id === lastEventId) {
        const out: LiveEvent[] = [];
        for (let j = i + 1; j < ring.size; j++) out.push(ring.at(j).event);
        return out;
      }
    }
    // The id left the buffer (or came from another replica's history): ULIDs sort by time, so
    // everything newer is what the client missed. Anything else is not an id we issued.
    const id = lastEventId.toUpperCase();
    if (!ULID.test(id)) return [];
    return ring.toArray().filter((x) => x.event.id.toUpperCase() > id).map((x) => x.event);
  }

  /** Number of buffered events over all projects (memory accounting, tests). */
  size(): number {
    let n = 0;
    for (const ring of this.rings.values()) n += ring.size;
    return n;
  }

  /** Drop expired events everywhere and forget empty projects. */
  sweep(): void {
    for (const projectId of [...this.rings.keys()]) this.trimmed(projectId);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.listeners.clear();
    this.rings.clear();
  }

  /** The project's ring with expired entries removed; undefined (and forgotten) when empty. */
  private trimmed(projectId: string): Ring<Entry> | undefined {
    const ring = this.rings.get(projectId);
    if (!ring) return undefined;
    const cutoff = this.now() - this.opts.bufferSeconds * 1000;
    while (ring.size && ring.peek()!.at < cutoff) ring.shift();
    if (ring.size === 0) {
      this.rings.delete(projectId);
      return undefined;
    }
    return ring;
  }
}
