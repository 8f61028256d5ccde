// LiveBus fan-out between replicas: committed events go to one Redis channel, and every replica
// (the publisher included) feeds what Redis delivers into its own in-memory ring buffer, so every
// replica buffers the same events in the same order and any of them can serve /stream and /live.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, openRedis } from '../counters/redis.js';
import type { LiveBus, LiveEvent } from '../ports.js';
import { MemoryLiveBus, type MemoryLiveBusOptions } from './memory.js';

export interface RedisLiveBusOptions extends MemoryLiveBusOptions {
  /** Prefix of the channel name (shared by every replica of one deployment). */
  prefix?: string;
  onError?: (err: Error) => void;
}

export class RedisLiveBus implements LiveBus {
  private readonly local: MemoryLiveBus;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly onError: (err: Error) => void;
  private subscribed: Promise<unknown>;
  private closed = false;
  /** settle() markers still travelling through Redis. */
  private markers = new Map<string, () => void>();

  constructor(url: string, opts: RedisLiveBusOptions, now: () => number = Date.now) {
    this.onError = opts.onError ?? (() => {});
    this.local = new MemoryLiveBus(opts, now);
    this.channel = `${opts.prefix ?? 'aa:'}live`;
    this.pub = openRedis(url, this.onError);
    this.sub = openRedis(url, this.onError);
    this.sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel || this.closed) return;
      let msg: LiveEvent[] | { marker: string };
      try {
        msg = JSON.parse(raw);
      } catch (err) {
        this.onError(err as Error);
        return;
      }
      if (Array.isArray(msg)) this.local.receive(msg);
      else this.markers.get(msg?.marker)?.();
    });
    this.subscribed = this.sub.subscribe(this.channel);
    this.subscribed.catch(this.onError); // ready() reports it; never an unhandled rejection
  }

  /** Resolves once this replica receives fan-out (startup, tests). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  publish(events: LiveEvent[]): void {
    if (events.length === 0 || this.closed) return;
    // One message per committed batch. Delivery is async: the live view is best-effort by contract,
    // the events themselves are already durable in the event store.
    this.pub.publish(this.channel, JSON.stringify(events)).catch(this.onError);
  }

  /**
   * Resolves once everything this replica published so far is back in its own buffer: Redis keeps
   * one connection's messages in order, so a marker published last arrives last (tests, shutdown).
   */
  async settle(): Promise<void> {
    const marker = randomBytes(8).toString('hex');
    const back = new Promise<void>((resolve) => this.markers.set(marker, resolve));
    await this.pub.publish(this.channel, JSON.stringify({ marker }));
    await back;
    this.markers.delete(marker);
  }

  subscribe(projectId: string, onEvent: (e: LiveEvent) => void): () => void {
    return this.local.subscribe(projectId, onEvent);
  }

  recent(projectId: string): LiveEvent[] {
    return this.local.recent(projectId);
  }

  since(projectId: string, lastEventId: string): LiveEvent[] {
    return this.local.since(projectId, lastEventId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close();
    await Promise.all([closeRedis(this.sub), closeRedis(this.pub)]);
  }
}
