// Picks the storage adapters from configuration: embedded (DuckDB + SQLite + memory) by default;
// cluster parts (ClickHouse, PostgreSQL, Redis) when their URLs are set. Nothing else knows which.
import { mkdirSync } from 'node:fs';
import type { Config } from './config.js';
import { MemoryLiveBus } from './store/bus/memory.js';
import { RedisLiveBus } from './store/bus/redis.js';
import { isClickHouseUrl, openClickHouseEventStore } from './store/clickhouse/connect.js';
import { MemoryCounters } from './store/counters/memory.js';
import { RedisCounters } from './store/counters/redis.js';
import { DuckDbEventStore } from './store/duckdb/event-store.js';
import { openPostgresMetaStore } from './store/meta/postgres.js';
import { openSqliteMetaStore } from './store/meta/sqlite.js';
import type { Counters, EventStore, LiveBus, MetaStore, Stores } from './store/ports.js';

export type { Stores } from './store/ports.js';

export async function createStores(config: Config): Promise<Stores> {
  mkdirSync(config.dataDir, { recursive: true });
  const events = await openEventStore(config);
  const meta = await openMetaStore(config);
  await events.migrate();
  const buffer = { bufferSeconds: config.live.bufferSeconds, bufferEvents: config.live.bufferEvents };
  if (!config.redisUrl) return { events, meta, counters: new MemoryCounters(), bus: new MemoryLiveBus(buffer) };
  const onError = throttledStderr('redis');
  const counters = new RedisCounters(config.redisUrl, { prefix: config.redisPrefix, onError });
  const bus = new RedisLiveBus(config.redisUrl, { ...buffer, prefix: config.redisPrefix, onError });
  // Subscribed before the first request, so no invalidation or live event is missed.
  await Promise.all([counters.ready(), bus.ready()]);
  return { events, meta, counters, bus };
}

/** The event store of AA_EVENTS_URL, not yet migrated (the migrate command adds a cluster name). */
export async function openEventStore(config: Config, opts: { cluster?: string | null } = {}): Promise<EventStore> {
  if (isClickHouseUrl(config.eventsUrl)) return openClickHouseEventStore(config.eventsUrl, opts);
  return DuckDbEventStore.open(config.eventsUrl.slice('duckdb:'.length), { layoutMs: config.layoutMs, memoryLimit: config.duckdbMemoryLimit });
}

/** Connection errors of a shared service, at most one line per 10 s (ioredis retries on its own). */
function throttledStderr(service: string): (err: Error) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: `${service} error: ${err.message}` })}\n`);
  };
}

/** The meta store alone (CLI account commands), migrated. */
export async function openMetaStore(config: Config): Promise<MetaStore> {
  const meta = /^postgres(ql)?:\/\//.test(config.metaUrl) ? openPostgresMetaStore(config.metaUrl) : openSqliteMetaStore(config.metaUrl);
  await meta.migrate();
  return meta;
}

export async function closeStores(s: Stores): Promise<void> {
  await s.bus.close();
  await s.counters.close();
  await s.meta.close();
  await s.events.close();
}
