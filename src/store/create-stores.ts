// Picks the storage adapters from configuration: embedded (DuckDB + SQLite + memory) by default.
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { MemoryLiveBus } from './bus/memory.js';
import { MemoryCounters } from './counters/memory.js';
import { DuckDbEventStore } from './duckdb/event-store.js';
import { openSqliteMetaStore } from './meta/sqlite.js';
import type { Counters, EventStore, LiveBus, MetaStore } from './ports.js';

export interface Stores {
  events: EventStore;
  meta: MetaStore;
  counters: Counters;
  bus: LiveBus;
}

export async function createStores(config: Config): Promise<Stores> {
  mkdirSync(config.dataDir, { recursive: true });
  if (!config.eventsUrl.startsWith('duckdb:')) throw new Error(`unsupported AA_EVENTS_URL "${config.eventsUrl}"`);
  const events = await DuckDbEventStore.open(config.eventsUrl.slice('duckdb:'.length));
  const meta = await openMetaStore(config);
  await events.migrate();
  return {
    events,
    meta,
    counters: new MemoryCounters(),
    bus: new MemoryLiveBus({ bufferSeconds: config.live.bufferSeconds, bufferEvents: config.live.bufferEvents }),
  };
}

/** The meta store alone (CLI account commands), migrated. */
export async function openMetaStore(config: Config): Promise<MetaStore> {
  const meta = openSqliteMetaStore(config.metaUrl);
  await meta.migrate();
  return meta;
}

export async function closeStores(s: Stores): Promise<void> {
  await s.bus.close();
  await s.counters.close();
  await s.meta.close();
  await s.events.close();
}
