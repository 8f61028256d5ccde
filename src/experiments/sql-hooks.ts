// The one engine-specific bit of the experiment SQL, JSON property access, until the shared Dialect
// (src/store/sql/) offers it; plus bound `$n` parameters. Everything else in results.ts is plain SQL.
import type { EventStore, SqlValue } from '../store/ports.js';

const PROPERTY_KEY = /^[A-Za-z0-9_]{1,128}$/;

/** SQL text of `properties.<key>` as a string; the key is validated before it reaches the JSON path. */
export function jsonProperty(engine: EventStore['engine'], key: string): string {
  if (!PROPERTY_KEY.test(key)) throw new Error(`invalid property key "${key}"`);
  return engine === 'clickhouse' ? `JSONExtractString(properties, '${key}')` : `json_extract_string(properties, '$.${key}')`;
}

/** Collects bound values and hands out a positional `$n` for each (portable: the ClickHouse store rewrites them). */
export class Params {
  readonly values: SqlValue[] = [];

  add(v: SqlValue): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}
