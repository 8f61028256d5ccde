// Which Dialect speaks for which EventStore engine: one entry per engine.
import type { EventStore } from '../../../store/ports.js';
import type { Dialect } from '../dialect.js';
import { clickhouseDialect } from './clickhouse.js';
import { duckdbDialect } from './duckdb.js';

const DIALECTS: Partial<Record<EventStore['engine'], Dialect>> = {
  duckdb: duckdbDialect,
  clickhouse: clickhouseDialect,
};

export function dialectFor(store: Pick<EventStore, 'engine'>): Dialect {
  const d = DIALECTS[store.engine];
  if (!d) throw new Error(`no SQL dialect registered for the ${store.engine} event store (src/query/sql/dialects/index.ts)`);
  return d;
}
