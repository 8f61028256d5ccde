// Reads a Parquet file for an import with a throwaway in-memory DuckDB (one thread, a small memory limit):
// rows arrive in the engine's chunks (2048), never the whole file at once.
import { DuckDBInstance } from '@duckdb/node-api';

/** The file's rows in chunks, columns by name; 64-bit integers as numbers. Throws a readable error for a non-Parquet file. */
export async function* readParquetRows(path: string): AsyncIterable<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const conn = await instance.connect();
  try {
    const prepared = await conn.prepare('SELECT * FROM read_parquet($1)');
    prepared.bindVarchar(1, path);
    let result;
    try {
      result = await prepared.stream();
    } catch (err) {
      throw new Error(`not a readable Parquet file (${(err as Error).message.split('\n')[0]})`);
    }
    for await (const rows of result.yieldRowObjectJs()) {
      yield rows.map((r) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v;
        return out;
      });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
