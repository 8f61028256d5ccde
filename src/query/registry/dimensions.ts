// Group keys, declared once: what /query's group_by accepts (public) and what the fixed endpoints group by
// (time buckets, the heatmap grid, a property's value, entry/exit pages, duration buckets).
import type { Dialect } from '../sql/dialect.js';
import { propertySql, PROPERTY_KEY } from './fields.js';
import type { Scope } from '../types.js';

export interface DimensionDef {
  name: string;
  scope: Scope;
  /** Accepted by POST /query `group_by`. */
  public: boolean;
  /** Result type after shaping: text (NULL allowed) or integer. */
  type: 'text' | 'int';
  sql(d: Dialect): string;
  /**
   * When set, rows are grouped by the cheaper `sql` value and only the groups are turned into the
   * printed label (e.g. group by DATE, print YYYY-MM-DD): same groups, same order, less work per row.
   */
  label?(d: Dialect, grouped: string): string;
}

/** /sessions/distribution duration buckets (§E9) in the contract's order: a session falls in the first whose bound it is below. */
export const DURATION_BUCKETS = [
  { label: '0s', below: 1 },
  { label: '1-10s', below: 10_000 },
  { label: '10-30s', below: 30_000 },
  { label: '30-60s', below: 60_000 },
  { label: '1-3m', below: 180_000 },
  { label: '3-10m', below: 600_000 },
  { label: '10m+', below: Number.POSITIVE_INFINITY },
] as const;

const text = (name: string, scope: Scope, sql: (d: Dialect) => string, isPublic = false): DimensionDef => ({ name, scope, public: isPublic, type: 'text', sql });

const DIMENSIONS: Record<string, DimensionDef> = {
  event: text('event', 'events', () => 'event', true),
  date: { ...text('date', 'events', () => 'date', true), label: (d, g) => d.timeBucket('day', 'NULL', g) },
  user_id: text('user_id', 'events', () => 'user_id', true),
  session_id: text('session_id', 'events', () => 'session_id', true),
  country: text('country', 'events', () => 'country', true),
  bucket_hour: text('bucket_hour', 'events', (d) => d.timeBucket('hour', 'ts', 'date')),
  bucket_day: { ...text('bucket_day', 'events', () => 'date'), label: (d, g) => d.timeBucket('day', 'NULL', g) },
  bucket_week: text('bucket_week', 'events', (d) => d.timeBucket('week', 'ts', 'date')),
  bucket_month: text('bucket_month', 'events', (d) => d.timeBucket('month', 'ts', 'date')),
  weekday: { name: 'weekday', scope: 'events', public: false, type: 'int', sql: (d) => d.weekday('date') },
  hour_of_day: { name: 'hour_of_day', scope: 'events', public: false, type: 'int', sql: (d) => d.hourOfDay('ts') },
  entry_page: text('entry_page', 'sessions', () => 'entry_page'),
  exit_page: text('exit_page', 'sessions', () => 'exit_page'),
  duration_bucket: text('duration_bucket', 'sessions', () =>
    `CASE ${DURATION_BUCKETS.filter((b) => Number.isFinite(b.below)).map((b) => `WHEN duration < ${b.below} THEN '${b.label}'`).join(' ')} ELSE '10m+' END`),
};

/** Group-by fields POST /query accepts, for its error message. */
export const PUBLIC_DIMENSIONS = Object.values(DIMENSIONS).filter((x) => x.public).map((x) => x.name);

/** The dimension named `name`; `property:<key>` groups by a property's value (`property:country` = the column). */
export function dimensionDef(name: string): DimensionDef | null {
  if (Object.hasOwn(DIMENSIONS, name)) return DIMENSIONS[name];
  if (name.startsWith('property:')) {
    const key = name.slice('property:'.length);
    if (!PROPERTY_KEY.test(key)) return null;
    return text(name, 'events', (d) => (key === 'country' ? 'country' : propertySql(d, key)));
  }
  return null;
}
