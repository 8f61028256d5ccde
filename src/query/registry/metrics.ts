// Metrics, declared once per scope: the SQL aggregates each needs (integer counts and sums, never a
// rounded ratio) and the TypeScript that turns them into the printed value (§1.6 rounding).
import type { Dialect } from '../sql/dialect.js';
import { ratio } from '../shape.js';
import { PROPERTY_KEY, propertySql } from './fields.js';
import type { Scope } from '../types.js';

/**
 * Which rows a metric aggregates:
 * - `rows`: the query's own rows (events, or sessions for the sessions scope);
 * - `referenced_sessions`: the distinct sessions the group's event rows belong to, whole (Q2);
 * - `deduplicated`: event_count under count_mode=session_then_user (§E5).
 */
export type MetricBlock = 'rows' | 'referenced_sessions' | 'deduplicated';

export interface MetricDef {
  name: string;
  scope: Scope;
  /** Accepted by POST /query `metrics`. */
  public: boolean;
  block: MetricBlock;
  /** SQL aggregates by alias (aliases are shared: two metrics needing `sessions` compute it once). */
  parts(d: Dialect): Record<string, string>;
  /** The printed value from the aggregated parts. */
  value(parts: Record<string, unknown>): number | string | null;
  /** The part alias SQL can order by when the value is that part itself; absent for ratios. */
  orderPart?: string;
  /** An exact distinct count of users or sessions: the costly kind, which the planner may route to a rollup. */
  distinct?: 'user' | 'session';
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const count = (name: string, scope: Scope, block: MetricBlock, sql: (d: Dialect) => string, isPublic = false): MetricDef => ({
  name, scope, public: isPublic, block, parts: (d) => ({ [name]: sql(d) }), value: (p) => n(p[name]), orderPart: name,
});

/** Aggregates over a sessions relation (its columns: is_bounce, duration, event_count, user_key). */
const SESSION_PARTS = {
  sessions: () => 'count(*)',
  bounces: () => 'sum(is_bounce)',
  duration_sum: () => 'sum(duration)',
  events_sum: () => 'sum(event_count)',
};

const sessionRatio = (name: string, scope: Scope, block: MetricBlock, numerator: keyof typeof SESSION_PARTS, decimals: number, isPublic = false): MetricDef => ({
  name, scope, public: isPublic, block,
  parts: () => ({ [`${block}_sessions`]: SESSION_PARTS.sessions(), [`${block}_${numerator}`]: SESSION_PARTS[numerator]() }),
  value: (p) => ratio(n(p[`${block}_${numerator}`]), n(p[`${block}_sessions`]), decimals),
});

const dateText = (d: Dialect, agg: 'min' | 'max') => d.timeBucket('day', `${agg}(ts)`, `${agg}(date)`);

const EVENT_METRICS: MetricDef[] = [
  count('event_count', 'events', 'rows', () => 'count(*)', true),
  { ...count('unique_users', 'events', 'rows', (d) => d.uniq(d.userKey), true), distinct: 'user' },
  { ...count('session_count', 'events', 'rows', (d) => d.uniq(d.sessionKey), true), distinct: 'session' },
  sessionRatio('bounce_rate', 'events', 'referenced_sessions', 'bounces', 3, true),
  sessionRatio('avg_duration', 'events', 'referenced_sessions', 'duration_sum', 0, true),
  { name: 'first_seen', scope: 'events', public: false, block: 'rows', parts: (d) => ({ first_seen: dateText(d, 'min') }), value: (p) => (p.first_seen ?? null) as string | null },
  { name: 'last_seen', scope: 'events', public: false, block: 'rows', parts: (d) => ({ last_seen: dateText(d, 'max') }), value: (p) => (p.last_seen ?? null) as string | null },
];

const SESSION_METRICS: MetricDef[] = [
  count('sessions', 'sessions', 'rows', SESSION_PARTS.sessions),
  count('bounces', 'sessions', 'rows', SESSION_PARTS.bounces),
  count('total_events', 'sessions', 'rows', SESSION_PARTS.events_sum),
  count('users', 'sessions', 'rows', (d) => d.uniq('user_key')),
  sessionRatio('bounce_rate', 'sessions', 'rows', 'bounces', 3),
  sessionRatio('avg_duration', 'sessions', 'rows', 'duration_sum', 0),
  sessionRatio('avg_events', 'sessions', 'rows', 'events_sum', 1),
  { name: 'engaged', scope: 'sessions', public: false, block: 'rows', parts: () => ({ engaged: 'sum(CASE WHEN duration >= 30000 THEN 1 ELSE 0 END)' }), value: (p) => n(p.engaged), orderPart: 'engaged' },
];

const BY_SCOPE: Record<Scope, Map<string, MetricDef>> = {
  events: new Map(EVENT_METRICS.map((m) => [m.name, m])),
  sessions: new Map(SESSION_METRICS.map((m) => [m.name, m])),
};

/** Metrics POST /query accepts, in the order its error message lists them. */
export const PUBLIC_METRICS = EVENT_METRICS.filter((m) => m.public).map((m) => m.name);

/** The metric named `name`; `with:<key>` counts the events that carry property `key` (`country`: the column). */
export function metricDef(scope: Scope, name: string): MetricDef | null {
  if (scope === 'events' && name.startsWith('with:')) {
    const key = name.slice('with:'.length);
    if (!PROPERTY_KEY.test(key)) return null;
    const alias = `with_${key}`;
    return {
      name, scope, public: false, block: 'rows', orderPart: alias,
      parts: (d) => ({ [alias]: `count(${key === 'country' ? 'country' : propertySql(d, key)})` }),
      value: (p) => n(p[alias]),
    };
  }
  return BY_SCOPE[scope].get(name) ?? null;
}

/** event_count under count_mode=session_then_user: counted in the `deduplicated` block instead. */
export const DEDUPLICATED_EVENT_COUNT: MetricDef = {
  name: 'event_count', scope: 'events', public: true, block: 'deduplicated',
  parts: () => ({ deduplicated_event_count: 'sum(c)' }),
  value: (p) => n(p.deduplicated_event_count),
  orderPart: 'deduplicated_event_count',
};
