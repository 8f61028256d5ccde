// The two engine-specific bits of the experiment SQL, until the shared Dialect (src/store/sql/) offers
// them: JSON property access and positional placeholders. Everything else in results.ts is plain SQL.
import type { EventStore, SqlValue } from '../store/ports.js';

const PROPERTY_KEY = /^[A-Za-z0-9_]{1,128}$/;

/** SQL text of `properties.<key>` as a string; the key is validated before it reaches the JSON path. */
export function jsonProperty(engine: EventStore['engine'], key: string): string {
  if (!PROPERTY_KEY.test(key)) throw new Error(`invalid property key "${key}"`);
  return engine === 'clickhouse' ? `JSONExtractString(properties, '${key}')` : `json_extract_string(properties, '$.${key}')`;
}

/**
 * Collects bound values and hands out a placeholder for each: positional `$n`, the form CompiledSql
 * carries today (DuckDB's own); an engine with another syntax translates it in its adapter or Dialect.
 */
export class Params {
  readonly values: SqlValue[] = [];

  add(v: SqlValue): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}
