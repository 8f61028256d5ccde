// Bound parameters for ClickHouse: typed `{pN:Type}` placeholders (ClickHouse binds by name and type,
// server-side), and the rewrite of DuckDB-style `$N` so plain portable SQL runs on both engines.
import type { SqlValue } from '../ports.js';

/** Name of the i-th (0-based) bound parameter, as the store binds it: `p1`, `p2`, … */
export const paramName = (i: number): string => `p${i + 1}`;

/** The ClickHouse type a JS value is bound as. */
export function clickhouseType(v: SqlValue): string {
  if (v === null) return 'Nullable(String)';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Bool';
  return Number.isInteger(v) ? 'Int64' : 'Float64';
}

/** `{pN:Type}` for the value at 0-based index i. */
export const placeholder = (i: number, v: SqlValue): string => `{${paramName(i)}:${clickhouseType(v)}}`;

/**
 * Rewrites `$1`, `$2`, … outside quoted strings and identifiers into typed placeholders. SQL already
 * written with `{pN:Type}` passes through untouched.
 */
export function rewriteDollarParams(sql: string, params: SqlValue[]): string {
  if (!sql.includes('$')) return sql;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > params.length) throw new Error(`SQL refers to $${n} but only ${params.length} parameters are bound`);
      out += placeholder(n - 1, params[n - 1]);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Index just past the quote that closes the one at `start` (doubled quotes and backslashes escape). */
function closingQuote(sql: string, start: number): number {
  const q = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === q && sql[i + 1] === q) i += 2;
    else if (sql[i] === q) return i + 1;
    else i++;
  }
  return sql.length;
}
