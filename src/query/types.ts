// The analytics language every read speaks: POST /query exposes it, the fixed endpoints are presets.
// Plain data (filters are `{op, field, value}` triples), so it can be built, planned and compiled apart.

/** Filter operators; `set` (the field has a value) is internal, used by presets such as /breakdown. */
export type FilterOp = 'eq' | 'neq' | 'gt' | 'lt' | 'gte' | 'lte' | 'contains' | 'set';

export type FilterValue = string | number | boolean | null;

/**
 * One filter. `field` is a registry field name: `event`, `user_id`, `session_id`, `country`, `date`,
 * `timestamp`, `properties.<key>`, or a session field (`session.user_id`, `session.is_bounce`,
 * `session.entry_page`, `session.exit_page`, `session.start_time`). Values are bound parameters, never SQL.
 */
export interface Filter {
  op: FilterOp;
  field: string;
  value: FilterValue;
}

/** Rows come from events, or from the derived sessions relation (§1.6). */
export type Scope = 'events' | 'sessions';

export interface Window {
  /** First UTC date (inclusive), already clamped to the account's retention by readWindow (plan.ts). */
  from: string;
  /** Last UTC date (inclusive); absent = no upper bound. */
  to?: string;
  /** Additionally only events at or after this instant (epoch ms): /stats?groupBy=hour. */
  fromTs?: number;
}

export type CountMode = 'raw' | 'session_then_user';

export interface OrderKey {
  /** A dimension or metric name of the query. */
  key: string;
  dir: 'asc' | 'desc';
}

export interface AggregateQuery {
  scope: Scope;
  projectId: string;
  window: Window;
  filters: Filter[];
  /** Dimension registry names (group keys), e.g. `event`, `date`, `bucket_week`, `property:path`. */
  dimensions: string[];
  /** Metric registry names, e.g. `event_count`, `unique_users`, `bounce_rate`. */
  metrics: string[];
  countMode: CountMode;
  /** Primary ordering; every dimension is appended ascending (NULLs last) as the tie-break. */
  order: OrderKey[];
  limit: number | null;
}

/** A shaped result row: dimension names and metric names as keys. */
export type ResultRow = Record<string, string | number | null>;
