// Response shapes of the HTTP contract (docs/contract.md) as the CLI and MCP tools read them; inputs come from
// the route schemas in src/schemas, so only what comes back is declared here.
import type { Static } from 'typebox';
import type * as A from '../schemas/analytics.js';
import type * as C from '../schemas/credentials.js';
import type { UsageObject } from '../schemas/common.js';
import type * as E from '../schemas/experiments.js';
import type * as I from '../schemas/ingest.js';
import type * as P from '../schemas/projects.js';
import type * as R from '../schemas/realtime.js';

export type StatsInput = Static<typeof A.StatsQuery>;
export type EventsInput = Static<typeof A.EventsQuery>;
export type QueryInput = Static<typeof A.QueryBody>;
export type PropertiesInput = Static<typeof A.PropertiesQuery>;
export type PropertiesReceivedInput = Static<typeof A.PropertiesReceivedQuery>;
export type SessionsInput = Static<typeof A.SessionsQuery>;
export type SessionsDistributionInput = Static<typeof A.SessionsDistributionQuery>;
export type BreakdownInput = Static<typeof A.BreakdownQuery>;
export type InsightsInput = Static<typeof A.InsightsQuery>;
export type PagesInput = Static<typeof A.PagesQuery>;
export type HeatmapInput = Static<typeof A.HeatmapQuery>;
export type FunnelInput = Static<typeof A.FunnelBody>;
export type RetentionInput = Static<typeof A.RetentionQuery>;
export type LiveInput = Static<typeof R.LiveQuery>;
export type StreamInput = Static<typeof R.StreamQuery>;
/** POST /track body; without `token` the client looks the token up from `project`. */
export type TrackInput = Omit<Static<typeof I.TrackBody>, 'token'> & { token?: string };
export type TrackBatchInput = Static<typeof I.TrackBatchBody>;
export type CreateProjectInput = Static<typeof P.CreateProjectBody>;
export type PatchProjectInput = Static<typeof P.PatchProjectBody>;
export type ExperimentsListInput = Static<typeof E.ExperimentsListQuery>;
export type CreateExperimentInput = Static<typeof E.CreateExperimentBody>;
export type PatchExperimentInput = Static<typeof E.PatchExperimentBody>;

export interface Flag { code: string; severity: 'info' | 'warning' | 'critical'; message: string }
/** Every response may carry server-computed anomaly flags. */
export interface Flagged { flags?: Flag[] }

export interface TierLimits { max_projects: number; max_events_lifetime: number; max_events_per_month: number; max_reads_per_month: number; retention_days: number; rate_limit_rpm: number }
export interface Account extends Flagged {
  id: string; email: string; github_login: string | null; tier: 'free' | 'pro'; created_at: string;
  projects_count: number; projects_limit: number; tier_limits: TierLimits; monthly_spend_cap_dollars: number | null;
  /** With include=usage. */
  usage?: Static<typeof UsageObject>;
}

export interface Project {
  id: string; name: string; project_token: string; allowed_origins: string; created_at: string;
  total_events: number; total_reads: number; source_scan_id: string | null;
}
export interface ProjectList extends Flagged { projects: Project[]; has_api_key: boolean; tier: string; project_limit: number }
export interface ProjectCreated { id: string; name: string; project_token: string; allowed_origins: string; source_scan_id: string | null; created_at?: string; snippet: string; api_example: string; existing?: boolean }
export interface ProjectDetail extends Project { usage_today: { date: string; events: number; reads: number } }

export interface Stats extends Flagged {
  project: string; period: { from: string; to: string; groupBy: string };
  totals: { unique_users: number; total_events: number };
  timeSeries: { bucket: string; unique_users: number; total_events: number }[];
  events: { event: string; count: number; unique_users: number }[];
  sessions: { total_sessions: number; bounce_rate: number; avg_duration: number; pages_per_session: number; sessions_per_user: number };
}

export interface EventRow { id: string; project_id: string; event: string; properties: Record<string, unknown> | null; user_id: string | null; session_id: string | null; timestamp: number; date: string; country: string | null }
export interface Events extends Flagged { project: string; events: EventRow[] }

export interface QueryResult extends Flagged { project: string; period: { from: string; to: string }; metrics: string[]; group_by: string[]; rows: Record<string, unknown>[]; count: number }

export interface Properties extends Flagged { project: string; events: { event: string; count: number; unique_users: number; first_seen: string; last_seen: string }[]; property_keys: string[] }
export interface PropertiesReceived extends Flagged { project: string; sample_size: number; since: string; properties: { key: string; event: string }[] }

export interface SessionRow { session_id: string; user_id: string | null; project_id: string; start_time: number; end_time: number; duration: number; entry_page: string | null; exit_page: string | null; event_count: number; is_bounce: number; date: string }
export interface Sessions extends Flagged { project: string; sessions: SessionRow[] }
export interface SessionsDistribution extends Flagged { project: string; distribution: { bucket: string; sessions: number; bounces: number; avg_events: number; pct: number }[]; median_bucket: string | null; engaged_pct: number }

export interface Breakdown extends Flagged { project: string; property: string; event: string | null; values: { value: string; count: number; unique_users: number }[]; total_events: number; total_with_property: number }

export interface DeltaMetric { current: number; previous: number; change: number; change_pct: number | null }
export interface Insights extends Flagged {
  project: string; current_period: { from: string; to: string }; previous_period: { from: string; to: string };
  metrics: Record<'total_events' | 'unique_users' | 'total_sessions' | 'bounce_rate' | 'avg_duration', DeltaMetric>;
  trend: 'growing' | 'stable' | 'declining';
}

export interface PageRow { page: string; sessions: number; bounces: number; bounce_rate: number; avg_duration: number; avg_events: number }
export interface Pages extends Flagged { project: string; entry_pages?: PageRow[]; exit_pages?: PageRow[] }

export interface HeatCell { day: number; day_name: string; hour: number; events: number; users: number }
export interface Heatmap extends Flagged { project: string; heatmap: HeatCell[]; peak: HeatCell | null; busiest_day: string | null; busiest_hour: number | null }

export interface FunnelStepResult { step: number; event: string; users: number; conversion_rate: number; drop_off_rate: number; avg_time_to_next_ms: number | null }
export interface Funnel extends Flagged { project: string; steps: FunnelStepResult[]; overall_conversion_rate: number; breakdowns?: { value: string | null; steps: FunnelStepResult[]; overall_conversion_rate: number }[] }

export interface Retention extends Flagged { project: string; period: string; cohorts: { date: string; users: number; retained: number[]; rates: number[] }[]; average_rates: number[]; users_analyzed: number }

export interface Live extends Flagged {
  project: string; window_seconds: number; timestamp: number; active_visitors: number; active_sessions: number; events_per_minute: number;
  top_pages: { path: string; visitors: number }[]; top_events: { event: string; count: number }[];
  recent_events: { event: string; properties: Record<string, unknown> | null; user_id: string | null; session_id?: string | null; timestamp: number; country?: string | null }[];
}
export interface StreamEvent { id: string; project: string; event: string; properties: Record<string, unknown> | null; user_id: string | null; session_id: string | null; timestamp: number; country: string | null }

export interface Experiment {
  id: string; project_id: string; account_id: string; name: string; variants: { key: string; weight: number }[]; goal_event: string;
  status: 'active' | 'paused' | 'completed'; winner: string | null; created_at: string; updated_at: string; completed_at: string | null;
}
export interface ExperimentResults {
  variants: { key: string; exposures: number; unique_users: number; conversions: number; conversion_rate: number }[];
  probability_best: Record<string, number>; lift: Record<string, number>; sufficient_data: boolean; recommendation: string;
}
export interface ExperimentDetail extends Experiment, Flagged { results: ExperimentResults }

export interface TrackAccepted { ok: boolean; queued: boolean; count?: number; dropped?: string }
export interface Deleted { ok: boolean; deleted: string }

export type StartAgentSessionInput = Static<typeof C.StartBody>;
export type AgentSessionStarted = Static<typeof C.Started>;
export type AgentSessionPolled = Static<typeof C.Polled>;
export type AgentSessionTokens = Static<typeof C.AgentSessionTokens>;
export type AgentSessionExchanged = Static<typeof C.Exchanged>;
export type AgentSessionList = Static<typeof C.AgentSessionList>;
export type CreateKeyInput = Static<typeof C.CreateKeyBody>;
export type CreatedKey = Static<typeof C.CreatedKey>;
export type KeyList = Static<typeof C.KeyList>;
