// Counters shared by every replica through Redis: rate-limit windows, stream slots and the
// cache-invalidation channel. Redis's own clock decides windows and expiries, so replica clock skew
// never splits one window in two.
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { ApiError } from '../../errors.js';
import type { Counters } from '../ports.js';

/** A Redis connection for a store adapter; errors are reported through `onError`, never thrown at random. */
export function openRedis(url: string, onError: (err: Error) => void, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true, ...extra });
  r.on('error', onError);
  return r;
}

/** Close politely when connected; otherwise stop reconnecting at once (quit would wait for a connection). */
export async function closeRedis(r: Redis): Promise<void> {
  if (r.status === 'ready') await r.quit().catch(() => r.disconnect());
  else r.disconnect();
}

/** Current Redis time in ms; TIME is allowed in scripts since Redis 5 (effects replication). */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS[1] = hash {s: window start, c: count}; ARGV = window ms, amount. Returns {count, ms to reset}.
const HIT = `${NOW}
local w = tonumber(ARGV[1])
local start = now - (now % w)
local c
if tonumber(redis.call('HGET', KEYS[1], 's')) == start then
  c = redis.call('HINCRBY', KEYS[1], 'c', ARGV[2])
else
  c = tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 's', start, 'c', c)
  redis.call('PEXPIRE', KEYS[1], start + w - now + 1000)
end
return {c, start + w - now}`;

// KEYS[1] = zset of held slots scored by expiry; ARGV = max, ttl ms, token. 1 = taken, 0 = full.
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

// Keeps a held slot alive; never resurrects one that already expired (that could exceed max).
const REFRESH = `${NOW}
local ttl = tonumber(ARGV[1])
local n = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + ttl, ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return n`;

type Handler = (channel: string, message: string) => void;

export interface RedisCountersOptions {
  /** Prefix of every key and channel, so several deployments (or test runs) can share one Redis. */
  prefix?: string;
  onError?: (err: Error) => void;
  /** How long invalidate() waits for the other replicas' confirmations at most. */
  ackTimeoutMs?: number;
}

export class RedisCounters implements Counters {
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  /** Tells this replica's own invalidations apart when Redis echoes them back. */
  private readonly origin = randomBytes(8).toString('hex');
  /** Where the other replicas confirm they applied one of this replica's invalidations. */
  private readonly ackChannel: string;
  private acks = new Map<number, { got: number; need: number; done: () => void }>();
  private nextId = 0;
  private readonly ackTimeoutMs: number;
  private handlers: Handler[] = [];
  private refreshers = new Set<NodeJS.Timeout>();
  private subscribed: Promise<unknown>;

  constructor(url: string, opts: RedisCountersOptions = {}) {
    const onError = opts.onError ?? (() => {});
    this.prefix = opts.prefix ?? 'aa:';
    this.channel = `${this.prefix}invalidate`;
    this.ackChannel = `${this.channel}:ack:${this.origin}`;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 1000;
    this.cmd = openRedis(url, onError);
    this.sub = openRedis(url, onError);
    this.cmd.defineCommand('aaHit', { numberOfKeys: 1, lua: HIT });
    this.cmd.defineCommand('aaAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.cmd.defineCommand('aaRefresh', { numberOfKeys: 1, lua: REFRESH });
    this.sub.on('message', (channel: string, raw: string) => {
      if (channel === this.ackChannel) return this.acked(Number(raw));
      if (channel !== this.channel) return;
      let msg: { o: string; c: string; m: string; n: number };
      try {
        msg = JSON.parse(raw);
      } catch {
        return;
      }
      if (msg.o === this.origin) return;
      this.dispatch(msg.c, msg.m);
      this.cmd.publish(`${this.channel}:ack:${msg.o}`, String(msg.n)).catch(onError);
    });
    this.subscribed = this.sub.subscribe(this.channel, this.ackChannel);
    this.subscribed.catch(onError); // ready() reports it; never an unhandled rejection
  }

  /** Resolves once the invalidation channel is subscribed (startup, tests). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  async hit(key: string, windowSec: number, amount = 1) {
    const [count, msLeft] = (await this.shared('aaHit', `${this.prefix}rl:${key}:${windowSec}`, windowSec * 1000, amount)) as [number, number];
    return { count: Number(count), resetSec: Math.max(1, Math.ceil(Number(msLeft) / 1000)) };
  }

  async acquire(key: string, max: number, ttlSec: number) {
    const zkey = `${this.prefix}slot:${key}`;
    const token = randomBytes(12).toString('hex');
    const ttlMs = Math.max(1, Math.round(ttlSec * 1000));
    if (Number(await this.shared('aaAcquire', zkey, max, ttlMs, token)) !== 1) return null;
    // A live holder keeps its slot; a crashed replica's slots expire after ttlSec.
    const timer = setInterval(() => {
      this.run('aaRefresh', zkey, ttlMs, token).catch(() => {});
    }, Math.max(50, Math.floor(ttlMs / 3)));
    timer.unref();
    this.refreshers.add(timer);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      this.refreshers.delete(timer);
      await this.cmd.zrem(zkey, token);
    };
  }

  /**
   * Applies the invalidation here, then on every other replica, and resolves once they all confirmed
   * (or after ackTimeoutMs, e.g. when a replica died mid-way): a revoked key is refused everywhere
   * by the time the revoking request answers.
   */
  async invalidate(channel: string, message: string) {
    this.dispatch(channel, message);
    const n = this.nextId++;
    let done!: () => void;
    const confirmed = new Promise<void>((resolve) => (done = resolve));
    const entry = { got: 0, need: Infinity, done };
    this.acks.set(n, entry); // before publishing: an ack may overtake PUBLISH's own reply
    const timer = setTimeout(done, this.ackTimeoutMs);
    try {
      const receivers = await this.cmd.publish(this.channel, JSON.stringify({ o: this.origin, c: channel, m: message, n }));
      entry.need = receivers - 1; // every subscriber but this replica
      if (entry.got >= entry.need) done();
      await confirmed;
    } finally {
      clearTimeout(timer);
      this.acks.delete(n);
    }
  }

  onInvalidate(handler: Handler) {
    this.handlers.push(handler);
  }

  /** Stops refreshing held slots (they expire on their TTL, as after a crash) and disconnects. */
  async close() {
    for (const t of this.refreshers) clearInterval(t);
    this.refreshers.clear();
    this.handlers = [];
    await Promise.all([closeRedis(this.sub), closeRedis(this.cmd)]);
  }

  private acked(n: number) {
    const entry = this.acks.get(n);
    if (entry && ++entry.got >= entry.need) entry.done();
  }

  private dispatch(channel: string, message: string) {
    for (const h of this.handlers) {
      try {
        h(channel, message);
      } catch {
        // One broken cache must not keep the others stale.
      }
    }
  }

  /** A counter the request depends on: an unreachable Redis is a 503 to retry, not a 500. */
  private async shared(command: 'aaHit' | 'aaAcquire', ...args: (string | number)[]): Promise<unknown> {
    try {
      return await this.run(command, ...args);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      throw new ApiError(503, 'SERVICE_UNAVAILABLE', 'the shared rate-limit store (Redis) is unreachable; retry in a moment', {}, { 'Retry-After': 1 });
    }
  }

  private run(command: 'aaHit' | 'aaAcquire' | 'aaRefresh', ...args: (string | number)[]): Promise<unknown> {
    return (this.cmd as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[command](...args);
  }
}

/** ioredis gives up on a command after its reconnect attempts, or refuses it while disconnected. */
function isConnectionError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection is closed|Stream isn't writeable/.test(`${e?.code ?? ''} ${e?.message ?? ''}`);
}
