// Inputs of the analytics reads (E3–E15), declared once: the routes validate/document with them and the
// MCP tools publish them as input schemas. Permissive on purpose: every value the contract answers with a
// specific code (or silently defaults) is typed loosely here and checked in code, so ajv never pre-empts
// the contract's codes: `project` is optional in every schema (PROJECT_REQUIRED comes from code).
// Querystring numbers accept strings because that is what a URL carries.
import { Type } from 'typebox';
import { CursorQuery, failsWith, ProjectQuery, SinceQuery, UntilQuery } from './common.js';

/** An integer query parameter: numbers from JSON callers (MCP), digit strings from URLs; garbage falls back to the default. */
export const IntegerParam = (description: string) => Type.Union([Type.Integer(), Type.String()], { description });

/** `filters` of the GET reads: POST /query's filters as one URL-encoded JSON array (beyond the contract). */
const FiltersParam = (what: string) => Type.String({
  description: `AND-ed filters as a URL-encoded JSON array of {field, op, value}, exactly as POST /query's filters (fields event, user_id, date, country, session_id, timestamp or properties.<key>; ops eq, neq, gt, lt, gte, lte, contains), e.g. [{"field":"country","op":"eq","value":"DE"}]. ${what} Not JSON or not an array → 400 INVALID_BODY; unknown field → 400 INVALID_FILTER_FIELD with /query's guidance; bad op → 400 INVALID_FILTER_OP.`,
  examples: ['[{"field":"properties.path","op":"eq","value":"/pricing"}]'],
});

export const StatsQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
  groupBy: Type.Optional(Type.String({ description: 'Time-series bucket: hour | day (default) | week | month; over HTTP, unknown values fall back to day', examples: ['day'] })),
  filters: Type.Optional(FiltersParam('Totals, series and top events count the matching events; the session block counts the sessions (started in the window) holding a matching event.')),
});

export const EventsQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
  until: Type.Optional(UntilQuery('events')),
  cursor: Type.Optional(CursorQuery),
  limit: Type.Optional(IntegerParam('1–1000, default 100 (0 or garbage → 100, negative → 1); a full page carries next_cursor for the next one')),
  event: Type.Optional(Type.String({ description: 'Exact event name' })),
  session_id: Type.Optional(Type.String({ description: 'Only events of this session (all events of one visit)' })),
  user_id: Type.Optional(Type.String({ description: 'Only events of this user' })),
});

const QueryFilter = failsWith(Type.Object({
  field: Type.String({ description: 'event, user_id, date, country, session_id, timestamp, or properties.<key>' }),
  // Which fields and ops exist is the parser's (query/parse/query-body.ts), shared with the GET reads' `filters`.
  op: failsWith(Type.String({ description: 'eq | neq | gt | lt | gte | lte | contains' }), 'INVALID_FILTER_OP'),
  // Absent: the filter's code (INVALID_FILTER_FIELD); any other failure: INVALID_BODY.
  value: failsWith(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], { description: 'Scalar to compare with; timestamps as epoch ms or ISO date-time' }),
    { default: 'INVALID_BODY' }, 'a filter value is a string, number or boolean'),
}), 'INVALID_FILTER_FIELD', 'each filter is an object with the three keys field, op and value (value a string, number or boolean)');

/** POST /query's count modes (§E5). */
export const COUNT_MODES = ['raw', 'session_then_user'] as const;

// Body errors answer with the code each field declares (failsWith, read by http/errors.ts), after PROJECT_REQUIRED.
// Metric and group_by names are checked against the query registry by the parser (the registry declares them).
export const QueryBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  metrics: Type.Optional(Type.Array(failsWith(Type.String(), 'INVALID_METRIC', 'metrics are names like event_count'), { description: 'event_count (default) | unique_users | session_count | bounce_rate | avg_duration' })),
  group_by: Type.Optional(Type.Array(failsWith(Type.String(), 'INVALID_GROUP_BY', 'group_by values are names like event or date'), { description: 'event | date | user_id | session_id | country (no property grouping)' })),
  filters: Type.Optional(Type.Array(QueryFilter, { description: 'AND-ed filters' })),
  date_from: Type.Optional(Type.String({ description: 'Nd or ISO date; default 7d' })),
  date_to: Type.Optional(Type.String({ description: 'ISO date, inclusive; default today' })),
  count_mode: Type.Optional(failsWith(Type.Enum(COUNT_MODES, { description: 'raw (default) | session_then_user (deduplicated event_count)' }), 'INVALID_COUNT_MODE')),
  order_by: Type.Optional(Type.String({ description: 'event_count | unique_users | session_count | date | event (must be a result column)' })),
  order: Type.Optional(Type.String({ description: 'asc | desc (default)' })),
  limit: Type.Optional(Type.Integer({ description: 'Rows, 1-1000 (default 100)' })),
});

export const PropertiesQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
});

export const PropertiesReceivedQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
  sample: Type.Optional(IntegerParam('How many recent events with properties to inspect, 100-10000 (default 5000)')),
});

export const SessionsQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
  until: Type.Optional(UntilQuery('sessions that started')),
  cursor: Type.Optional(CursorQuery),
  limit: Type.Optional(IntegerParam('Maximum rows, 1-1000 (default 100); a full page carries next_cursor for the next one')),
  user_id: Type.Optional(Type.String({ description: 'Only sessions of this user' })),
  is_bounce: Type.Optional(Type.String({ description: '"1" = only bounced sessions, "0" = only engaged ones; other values are ignored' })),
});

export const SessionsDistributionQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
});

export const BreakdownQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  property: Type.Optional(Type.String({ description: 'Property key to group by (^[A-Za-z0-9_]{1,128}$), e.g. path, referrer, utm_source; "country" uses the country column. Required.' })),
  event: Type.Optional(Type.String({ description: 'Only count this event name, e.g. signup' })),
  since: Type.Optional(SinceQuery),
  limit: Type.Optional(IntegerParam('Top values to return, 1-1000 (default 20)')),
  filters: Type.Optional(FiltersParam('AND-ed with `event`; values, total_events and total_with_property count the matching events.')),
});

export const InsightsQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  period: Type.Optional(Type.String({ description: 'Comparison window: 1d | 7d (default) | 14d | 30d | 90d — the current N days vs the N days before', examples: ['30d'] })),
});

export const PagesQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  type: Type.Optional(Type.String({ description: 'entry (default, landing pages) | exit | both' })),
  since: Type.Optional(SinceQuery),
  limit: Type.Optional(IntegerParam('Pages per list, 1-1000 (default 20)')),
  filters: Type.Optional(FiltersParam('Keeps the sessions holding a matching event (e.g. entry pages of sessions that viewed /pricing); their pages and metrics are the whole sessions\'.')),
});

export const HeatmapQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  since: Type.Optional(SinceQuery),
});

/**
 * The property-key rule of the contract (§E14 filters and breakdown), as a body-schema pattern; query/registry's
 * PROPERTY_KEY is the same rule for the parsers (test/http/body-schemas.test.ts pins them equal).
 */
export const PROPERTY_KEY_PATTERN = '^[A-Za-z0-9_]{1,128}$';
const propertyKey = (description: string) => failsWith(Type.String({ description, pattern: PROPERTY_KEY_PATTERN }),
  'INVALID_PROPERTY_KEY', 'a property key is 1-128 letters, digits or underscores (e.g. path, utm_source)');

/** POST /funnel's closed choices and bounds (§E14): out of range is a 400, never clamped. */
export const STEP_OPS = ['eq', 'neq', 'contains'] as const;
export const COUNT_BY = ['user_id', 'session_id'] as const;
export const FUNNEL_BOUNDS = { steps: [2, 8], conversion_window_hours: [1, 8760], breakdown_limit: [1, 50] } as const;
const B = FUNNEL_BOUNDS;
const STEPS_HINT = `send ${B.steps[0]}-${B.steps[1]} steps like [{"event":"page_view"},{"event":"signup"}]`;

// Body errors answer with the code each field declares (failsWith, read by http/errors.ts), after PROJECT_REQUIRED.
const FunnelStepFilter = Type.Object({
  property: propertyKey('Property key (^[A-Za-z0-9_]{1,128}$); "country" targets the country column'),
  op: failsWith(Type.Enum(STEP_OPS, { description: 'eq | neq | contains' }), 'INVALID_FILTER_OP'),
  value: Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'Compared as a string' }),
});

export const FunnelStep = Type.Object({
  event: Type.String({ description: 'Event name of this step', minLength: 1, maxLength: 256 }),
  filters: Type.Optional(Type.Array(FunnelStepFilter, { description: 'AND-ed property filters for this step' })),
});

export const FunnelBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  steps: failsWith(Type.Array(FunnelStep, {
    description: '2-8 ordered steps, e.g. [{"event":"page_view"},{"event":"checkout_start"},{"event":"purchase"}]', minItems: B.steps[0], maxItems: B.steps[1],
  }), 'INVALID_FUNNEL_STEPS', STEPS_HINT),
  conversion_window_hours: Type.Optional(failsWith(Type.Number({
    description: 'Hours from step 1 to the last step, 1-8760 (default 168)', minimum: B.conversion_window_hours[0], maximum: B.conversion_window_hours[1],
  }), 'MISSING_FIELDS')),
  since: Type.Optional(Type.String({ description: 'Lookback: Nd or ISO date (default 30d)' })),
  count_by: Type.Optional(failsWith(Type.Enum(COUNT_BY, { description: 'user_id (default) | session_id' }), 'MISSING_FIELDS')),
  breakdown: Type.Optional(propertyKey('Property key of the step-1 event to segment by, e.g. referrer or utm_source')),
  breakdown_limit: Type.Optional(failsWith(Type.Integer({
    description: 'Segments to return, 1-50 (default 10)', minimum: B.breakdown_limit[0], maximum: B.breakdown_limit[1],
  }), 'MISSING_FIELDS')),
});

export const RetentionQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  period: Type.Optional(Type.String({ description: 'Cohort length: day | week (default) | month' })),
  cohorts: Type.Optional(IntegerParam('Number of cohorts, 1-30 for day, 1-12 for week/month (default 8)')),
  event: Type.Optional(Type.String({ description: 'Event-based retention: first seen = first occurrence of this event' })),
  returning_event: Type.Optional(Type.String({ description: 'What counts as coming back (default: same as event, else any session)' })),
  since: Type.Optional(Type.String({ description: 'Accepted for compatibility; the range is period x cohorts' })),
});
