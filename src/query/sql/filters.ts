// The one exhaustive filter compiler: `{op, field, value}` data in, a bound SQL condition out.
import { fieldDef, type FieldDef } from '../registry/fields.js';
import type { Filter, FilterOp } from '../types.js';
import type { Binder } from './binder.js';

const COMPARISON: Record<Exclude<FilterOp, 'contains' | 'set'>, string> = { eq: '=', neq: '<>', gt: '>', lt: '<', gte: '>=', lte: '<=' };

/**
 * Semantics (§E5): a NULL/absent value never matches, `neq` included. Text fields compare as text;
 * `date` against a DATE; `timestamp` as epoch ms. `properties.<key>` follows the stored JSON type: a
 * number filter value compares numerically with stored numbers, any other value compares as text with
 * the stored value's text. `contains` is an ASCII case-insensitive literal substring test on the text.
 */
export function compileFilter(f: Filter, b: Binder): string {
  const def = fieldDef(f.field);
  if (!def) throw new Error(`unknown filter field reached the compiler: ${f.field}`);
  const d = b.d;
  const expr = def.sql(d);
  switch (f.op) {
    case 'set':
      return `${expr} IS NOT NULL`;
    case 'contains': {
      const haystack = def.type === 'text' || def.type === 'property' ? expr : d.asText(expr);
      return d.containsIgnoreCase(haystack, b.bind(textOf(f.value)));
    }
    case 'eq': case 'neq': case 'gt': case 'lt': case 'gte': case 'lte':
      return comparison(def, f.op, f.value, b);
    default: {
      const never: never = f.op;
      throw new Error(`unknown filter op ${String(never)}`);
    }
  }
}

function comparison(def: FieldDef, op: keyof typeof COMPARISON, value: Filter['value'], b: Binder): string {
  const d = b.d;
  const sqlOp = COMPARISON[op];
  const expr = def.sql(d);
  switch (def.type) {
    case 'text':
      return `${expr} ${sqlOp} ${b.bind(textOf(value))}`;
    case 'date':
      return `${expr} ${sqlOp} ${b.date(String(value))}`;
    case 'epoch_ms': case 'int':
      return `${expr} ${sqlOp} ${b.bind(Number(value))}`;
    case 'property': {
      if (typeof value !== 'number') return `${expr} ${sqlOp} ${b.bind(textOf(value))}`;
      const num = def.numberSql!(d);
      // A present non-number is "not equal" to a number; absent stays unmatched.
      if (op === 'neq') return `(${expr} IS NOT NULL AND (${num} IS NULL OR ${num} <> ${b.bind(value)}))`;
      return `${num} ${sqlOp} ${b.bind(value)}`;
    }
    default: {
      const never: never = def.type;
      throw new Error(`unknown field type ${String(never)}`);
    }
  }
}

/** A scalar as the text it is compared with: strings as is, numbers and booleans as JSON text. */
export function textOf(v: Filter['value']): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** All filters AND-ed ('TRUE' when none). */
export function compileFilters(filters: Filter[], b: Binder): string[] {
  return filters.map((f) => compileFilter(f, b));
}
