// The two engine-specific bits of the experiment SQL, until the shared Dialect (src/store/sql/) offers
// them: JSON property access and placeholders. Everything else in results.ts is plain SQL on both engines.
import type { EventStore, SqlValue } from '../store/ports.js';

const PROPERTY_KEY = /^[A-Za-z0-9_]{1,128}$/;

/** SQL text of `properties.<key>` as a string; the key is validated before it reaches the JSON path. */
export function jsonProperty(engine: EventStore['engine'], key: string): string {
  if (!PROPERTY_KEY.test(key)) throw new Error(`invalid property key "${key}"`);
  return engine === 'clickhouse' ? `JSONExtractString(properties, '${key}')` : `json_extract_string(properties, '$.${key}')`;
}

/**
 * Collects bound values and hands out the engine's placeholder for each: DuckDB's positional `$n`, or
 * ClickHouse's typed `{pn:Type}` (the names the ClickHouse EventStore binds, see its paramName).
 */
export class Params {
  readonly values: SqlValue[] = [];
  constructor(private readonly engine: EventStore['engine']) {}

  add(v: SqlValue): string {
    this.values.push(v);
    const n = this.values.length;
    if (this.engine === 'clickhouse') return `{p${n}:${typeof v === 'number' ? 'Int64' : 'String'}}`;
    return `$${n}`;
  }
}
