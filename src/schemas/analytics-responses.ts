// Response shapes of the analytics reads (E3, E5–E15) for the OpenAPI document. Documentation only: the
// serializer is plain JSON, so these never drop or coerce a field.
import { Type } from 'typebox';
import { Flags, NextCursor } from './common.js';
import { ProjectContextEcho } from './project-context.js';

const Int = Type.Integer;
const Num = Type.Number;
const Str = Type.String;
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Number | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Period = Type.Object({ from: Str({ description: 'YYYY-MM-DD (UTC)' }), to: Str({ description: 'YYYY-MM-DD (UTC)' }) });

/** An event row (§1.6) as /events and /journey return it. */
export const EventRowObject = Type.Object({
  id: Str({ description: 'ULID' }),
  project_id: Str(),
  event: Str(),
  properties: Type.Union([Type.Record(Str(), Type.Unknown()), Type.Null()]),
  user_id: Nullable(Str()),
  session_id: Nullable(Str()),
  timestamp: Num({ description: 'Epoch ms' }),
  date: Str({ description: 'UTC date, YYYY-MM-DD' }),
  country: Nullable(Str()),
});

export const EventsResponse = Type.Object({ project: Str(), events: Type.Array(EventRowObject), next_cursor: NextCursor, project_context: ProjectContextEcho });

export const StatsResponse = Type.Object({
  project: Str(),
  period: Type.Object({ from: Str(), to: Str(), groupBy: Str() }),
  totals: Type.Object({ unique_users: Int(), total_events: Int() }),
  timeSeries: Type.Array(Type.Object({ bucket: Str({ description: 'hour YYYY-MM-DDTHH:00, day YYYY-MM-DD, week = Monday YYYY-MM-DD, month YYYY-MM' }), unique_users: Int(), total_events: Int() })),
  events: Type.Array(Type.Object({ event: Str(), count: Int(), unique_users: Int() })),
  sessions: Type.Object({ total_sessions: Int(), bounce_rate: Num({ description: 'Fraction 0-1' }), avg_duration: Int({ description: 'ms' }), pages_per_session: Num(), sessions_per_user: Num() }),
  flags: Flags,
  project_context: ProjectContextEcho,
});

export const QueryResponse = Type.Object({
  project: Str(),
  period: Period,
  metrics: Type.Array(Str()),
  group_by: Type.Array(Str()),
  rows: Type.Array(Type.Record(Str(), Type.Union([Str(), Num(), Type.Null()])), { description: 'Keys: each group_by field, then each metric' }),
  count: Int(),
  project_context: ProjectContextEcho,
});

const EventSummary = Type.Object({ event: Str(), count: Int(), unique_users: Int(), first_seen: Str(), last_seen: Str() });

export const PropertiesResponse = Type.Object({ project: Str(), events: Type.Array(EventSummary), property_keys: Type.Array(Str()), project_context: ProjectContextEcho });

export const PropertiesReceivedResponse = Type.Object({
  project: Str(), sample_size: Int(), since: Str(), properties: Type.Array(Type.Object({ key: Str(), event: Str() })),
  project_context: ProjectContextEcho,
});

export const SessionRowObject = Type.Object({
  session_id: Str(), user_id: Nullable(Str()), project_id: Str(), start_time: Int({ description: 'Epoch ms' }), end_time: Int(),
  duration: Int({ description: 'ms' }), entry_page: Nullable(Str()), exit_page: Nullable(Str()), event_count: Int(),
  is_bounce: Int({ description: '1 when every event is non-interactive' }), date: Str(),
});

export const SessionsResponse = Type.Object({ project: Str(), sessions: Type.Array(SessionRowObject), next_cursor: NextCursor, project_context: ProjectContextEcho });

export const DistributionResponse = Type.Object({
  project: Str(),
  distribution: Type.Array(Type.Object({ bucket: Str(), sessions: Int(), bounces: Int(), avg_events: Num(), pct: Num({ description: 'Percent 0-100' }) })),
  median_bucket: Nullable(Str()),
  engaged_pct: Num(),
  project_context: ProjectContextEcho,
});

export const BreakdownResponse = Type.Object({
  project: Str(), property: Str(), event: Nullable(Str()),
  values: Type.Array(Type.Object({ value: Str(), count: Int(), unique_users: Int() })),
  total_events: Int(), total_with_property: Int(),
  project_context: ProjectContextEcho,
});

const Delta = Type.Object({ current: Num(), previous: Num(), change: Num(), change_pct: Nullable(Int({ description: 'null when previous is 0 and current > 0' })) });

export const InsightsResponse = Type.Object({
  project: Str(),
  current_period: Period,
  previous_period: Period,
  metrics: Type.Object({ total_events: Delta, unique_users: Delta, total_sessions: Delta, bounce_rate: Delta, avg_duration: Delta }),
  trend: Type.Union([Type.Literal('growing'), Type.Literal('stable'), Type.Literal('declining')], { description: 'From total_events.change_pct: > 10 or null → growing, < −10 → declining, else stable' }),
  flags: Flags,
  project_context: ProjectContextEcho,
});

const PageRow = Type.Object({ page: Str(), sessions: Int(), bounces: Int(), bounce_rate: Num(), avg_duration: Int(), avg_events: Num() });

export const PagesResponse = Type.Object({ project: Str(), entry_pages: Type.Optional(Type.Array(PageRow)), exit_pages: Type.Optional(Type.Array(PageRow)), project_context: ProjectContextEcho });

const Cell = Type.Object({ day: Int({ description: '0 = Sunday' }), day_name: Str(), hour: Int({ description: 'UTC' }), events: Int(), users: Int() });

export const HeatmapResponse = Type.Object({
  project: Str(), heatmap: Type.Array(Cell), peak: Type.Union([Cell, Type.Null()]), busiest_day: Nullable(Str()), busiest_hour: Nullable(Int()), flags: Flags,
  project_context: ProjectContextEcho,
});

const FunnelStepOut = Type.Object({
  step: Int(), event: Str(), users: Int(), conversion_rate: Num({ description: 'Fraction 0-1' }), drop_off_rate: Num(), avg_time_to_next_ms: Nullable(Int()),
});

export const FunnelResponse = Type.Object({
  project: Str(),
  steps: Type.Array(FunnelStepOut),
  overall_conversion_rate: Num({ description: 'Fraction 0-1' }),
  breakdowns: Type.Optional(Type.Array(Type.Object({ value: Nullable(Str()), steps: Type.Array(FunnelStepOut), overall_conversion_rate: Num() }))),
  project_context: ProjectContextEcho,
});

export const RetentionResponse = Type.Object({
  project: Str(),
  period: Str(),
  cohorts: Type.Array(Type.Object({ date: Str(), users: Int(), retained: Type.Array(Int()), rates: Type.Array(Num()) })),
  average_rates: Type.Array(Num(), { description: 'Index 0 is always 1; real retention starts at index 1' }),
  users_analyzed: Int(),
  flags: Flags,
  project_context: ProjectContextEcho,
});
