// The shapes of the HTTP contract (docs/contract.md) as the CLI and MCP tools send and read them, derived
// from the route schemas in src/schemas: nothing is declared here, so the client cannot drift from the server.
import type { Static } from 'typebox';
import type * as A from '../schemas/analytics.js';
import type * as Out from '../schemas/analytics-responses.js';
import type * as C from '../schemas/common.js';
import type * as CR from '../schemas/credentials.js';
import type * as E from '../schemas/experiments.js';
import type * as I from '../schemas/ingest.js';
import type * as P from '../schemas/projects.js';
import type * as AS from '../schemas/all-sites.js';
import type * as BT from '../schemas/bot-traffic.js';
import type * as J from '../schemas/journey.js';
import type * as PA from '../schemas/paths.js';
import type * as X from '../schemas/portability.js';
import type * as R from '../schemas/realtime.js';

// Inputs
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

// Responses (each may carry server-computed anomaly flags)
export type Flag = Static<typeof C.FlagObject>;
/** Every response may carry server-computed anomaly flags. */
export type Flagged = { flags?: Flag[] };
export type Account = Static<typeof C.AccountResponse> & Flagged;
export type KeyRotated = Static<typeof C.KeyRotatedResponse>;
export type Deleted = Static<typeof C.DeletedResponse>;
export type Project = Static<typeof C.ProjectObject>;
export type ProjectList = Static<typeof P.ProjectListResponse> & Flagged;
export type ProjectCreated = Static<typeof P.ProjectCreatedResponse>;
export type ProjectDetail = Static<typeof P.ProjectDetailResponse>;
export type Stats = Static<typeof Out.StatsResponse> & Flagged;
export type EventRow = Static<typeof Out.EventRowObject>;
export type Events = Static<typeof Out.EventsResponse> & Flagged;
export type QueryResult = Static<typeof Out.QueryResponse> & Flagged;
export type Properties = Static<typeof Out.PropertiesResponse> & Flagged;
export type PropertiesReceived = Static<typeof Out.PropertiesReceivedResponse> & Flagged;
export type SessionRow = Static<typeof Out.SessionRowObject>;
export type Sessions = Static<typeof Out.SessionsResponse> & Flagged;
export type SessionsDistribution = Static<typeof Out.DistributionResponse> & Flagged;
export type Breakdown = Static<typeof Out.BreakdownResponse> & Flagged;
export type Insights = Static<typeof Out.InsightsResponse> & Flagged;
export type DeltaMetric = Insights['metrics']['total_events'];
export type Pages = Static<typeof Out.PagesResponse> & Flagged;
export type PageRow = NonNullable<Pages['entry_pages']>[number];
export type Heatmap = Static<typeof Out.HeatmapResponse> & Flagged;
export type HeatCell = Heatmap['heatmap'][number];
export type Funnel = Static<typeof Out.FunnelResponse> & Flagged;
export type FunnelStepResult = Funnel['steps'][number];
export type Retention = Static<typeof Out.RetentionResponse> & Flagged;
export type Live = Static<typeof R.LiveResponse> & Flagged;
export type StreamEvent = Static<typeof R.StreamEventObject>;
export type Experiment = Static<typeof E.ExperimentObject>;
export type ExperimentResults = Static<typeof E.ExperimentResults>;
export type ExperimentDetail = Static<typeof E.ExperimentDetailResponse> & Flagged;
export type ExperimentList = Static<typeof E.ExperimentListResponse> & Flagged;
export type AllSites = Static<typeof AS.AllSitesResponse> & Flagged;
export type BotTraffic = Static<typeof BT.BotTrafficResponse> & Flagged;
export type AccountBotTraffic = Static<typeof BT.AccountBotTrafficResponse> & Flagged;
export type Journey = Static<typeof J.JourneyResponse> & Flagged;
export type PathNode = PA.PathNode;
export type PathsResult = PA.PathsShape & Flagged;
/** 202 of /track (and of /track/batch, with `count`), or the 200 a dropped bot gets (with `dropped`). */
export type TrackAccepted = Static<typeof I.TrackAcceptedResponse>
  & Partial<Pick<Static<typeof I.TrackBatchAcceptedResponse>, 'count'>>
  & Partial<Pick<Static<typeof I.BotDroppedResponse>, 'dropped'>>;

export type StartAgentSessionInput = Static<typeof CR.StartBody>;
export type AgentSessionStarted = Static<typeof CR.Started>;
export type AgentSessionPolled = Static<typeof CR.Polled>;
export type AgentSessionTokens = Static<typeof CR.AgentSessionTokens>;
export type AgentSessionExchanged = Static<typeof CR.Exchanged>;
export type AgentSessionList = Static<typeof CR.AgentSessionList>;
export type CreateKeyInput = Static<typeof CR.CreateKeyBody>;
export type CreatedKey = Static<typeof CR.CreatedKey>;
export type KeyList = Static<typeof CR.KeyList>;

// Export, import, backup (docs/portability.md)
export type ExportInput = Static<typeof X.ExportQuery>;
export type ImportInput = Static<typeof X.ImportQuery>;
export type ImportJob = X.ImportJobView;
export type BackupManifest = X.BackupManifestView;
