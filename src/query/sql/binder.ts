// Collects bound values while a statement is written and hands out the dialect's placeholder for each:
// the only way a value reaches SQL.
import type { SqlValue } from '../../store/ports.js';
import type { Dialect } from './dialect.js';

export class Binder {
  readonly values: SqlValue[] = [];
  constructor(readonly d: Dialect) {}

  /** Placeholder for a new bound value. */
  bind(v: SqlValue): string {
    this.values.push(v);
    return this.d.param(this.values.length - 1);
  }

  /** A bound 'YYYY-MM-DD' used as a DATE. */
  date(v: string): string {
    return this.d.asDate(this.bind(v));
  }
}
