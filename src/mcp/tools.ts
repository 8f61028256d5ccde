// The MCP tools: one per question an agent asks, each over one API call of the typed client. Input schemas
// are the routes' own TypeBox schemas (src/schemas), never a second declaration; `refine` only narrows
// them with the closed sets and bounds the code already declares (tool-schema.ts applies it to every tool).
import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { Value } from 'typebox/value';
import { PROJECT_NAME } from '../accounts/projects.js';
import { AllSitesQuery } from '../schemas/all-sites.js';
import * as A from '../schemas/analytics.js';
import { BotTrafficQuery } from '../schemas/bot-traffic.js';
import * as E from '../schemas/experiments.js';
import * as I from '../schemas/ingest.js';
import * as P from '../schemas/projects.js';
import { PATHS_BOUNDS, PathsBody } from '../schemas/paths.js';
import { JourneyQuery } from '../schemas/journey.js';
import * as PF from '../schemas/portfolios.js';
import * as PC from '../schemas/project-context.js';
import * as R from '../schemas/realtime.js';
import { ROW_LIMIT } from '../query/parse/limit.js';
import { FILTER_OPS } from '../query/parse/query-body.js';
import { ORDER_DIRECTIONS, QUERY_ORDER_BY } from '../query/plan.js';
import { PUBLIC_DIMENSIONS } from '../query/registry/dimensions.js';
import { PUBLIC_METRICS } from '../query/registry/metrics.js';
import { ALL_SITES_LIMIT, ALL_SITES_PERIODS } from '../reports/all-sites.js';
import { BOT_TRAFFIC_LIMIT, BOT_TRAFFIC_PERIODS } from '../reports/bot-traffic.js';
import { INSIGHT_PERIODS } from '../reports/insights.js';
import { LIVE_WINDOW } from '../reports/live.js';
import { PAGE_TYPES } from '../reports/pages.js';
import { PATHS_SINCE } from '../reports/paths.js';
import { SAMPLE } from '../reports/properties.js';
import { RETENTION_PERIODS } from '../reports/retention.js';
import { STATS_GROUPS } from '../reports/stats.js';
import type { AnalyticsClient } from '../client/client.js';
import type { FieldRefinement, ToolInput } from './tool-schema.js';

interface ToolBase extends ToolInput {
  name: string;
  title: string;
  /** Written for the agent: which question it answers, how to read the result, what to do next (in tool names). */
  description: string;
  /** The API requests the tool makes ('GET /events'): server messages naming them are reworded to name the tool. */
  api?: readonly string[];
  run(client: AnalyticsClient, args: Record<string, unknown>): Promise<unknown>;
}

/** A tool as declared: `run` receives the arguments typed by the tool's own input schema. */
type ToolSpec<S extends TObject> = Omit<ToolBase, 'input' | 'run'> & Effect & {
  input: S;
  run(client: AnalyticsClient, args: Static<S>): Promise<unknown>;
};

/**
 * What a call may change, published as MCP annotations. A write tool must say whether it may overwrite or
 * remove something (replace, complete, rotate, delete) and whether repeating the same call changes nothing more.
 */
type Effect = { readOnly: true } | { readOnly: false; destructive: boolean; idempotent: boolean };

export type ToolDef = ToolBase & Effect;

/**
 * Declare a tool. The server calls run() with arguments checkArguments accepted (the published schema: the
 * input narrowed and renamed back to the route's fields); checking them against `input` here proves the
 * type instead of asserting it, so no cast stands between the MCP client's JSON and the typed API client.
 */
function tool<S extends TObject>(spec: ToolSpec<S>): ToolDef {
  return {
    ...spec,
    run: (client, args) => {
      if (!Value.Check(spec.input, args)) throw new Error(`${spec.name}: arguments do not match the route schema after the published check`);
      return spec.run(client, args);
    },
  };
}

/** An integer argument within [min, max] (the routes also accept digit strings, from URLs). */
const int = (min: number, max: number, extra: FieldRefinement = {}): FieldRefinement => ({ type: 'integer', minimum: min, maximum: max, ...extra });
const oneOf = (values: readonly string[]): FieldRefinement => ({ enum: values });
const rows = (fallback?: number) => int(ROW_LIMIT.min, ROW_LIMIT.max, fallback === undefined ? {} : { default: fallback });
const bounds = ([min, max]: readonly [number, number, ...number[]]) => int(min, max);

const NoInput = Type.Object({});
/** The routes keep `project` optional (the contract answers PROJECT_REQUIRED in code); tools require it. */
const PROJECT = ['project'] as const;
/** Path id + body fields: the same property schemas, composed. */
const withId = <P extends TProperties, B extends TProperties>(params: TObject<P>, body: TObject<B>) => Type.Object({ ...params.properties, ...body.properties });
const withoutId = <T extends { id: string }>({ id: _id, ...rest }: T): Omit<T, 'id'> => rest;

const PROJECT_TIP = 'Needs `project` (the project name; get_account/list_projects show them). `since` takes Nd (7d, 30d) or an ISO date; all times are UTC.';
const PAGING = 'Newest first. A full page carries next_cursor: pass it as `cursor` (other arguments unchanged) for the next, older page; `until` (epoch ms, ISO date/time or Nd) ends the window.';

export const TOOLS: ToolDef[] = [
  tool({
    name: 'get_stats', title: 'Traffic overview', readOnly: true, input: A.StatsQuery, api: ['GET /stats'],
    refine: { required: PROJECT, rename: { group_by: 'groupBy' }, fields: { group_by: oneOf(STATS_GROUPS) } },
    description: `Answers "what are my overall traffic stats for the last week?": totals (total_events, unique_users), a time series (group_by hour|day|week|month, default day), the top 20 events and session metrics (total_sessions, bounce_rate 0-1, avg_duration ms). ${PROJECT_TIP} Default window: the last 7 days. A flags array warns e.g. when events arrive without user_id.`,
    run: (c, a) => c.stats(a),
  }),
  tool({
    name: 'get_insights', title: 'Period-over-period comparison', readOnly: true, input: A.InsightsQuery, api: ['GET /insights'],
    refine: { required: PROJECT, fields: { period: oneOf(INSIGHT_PERIODS) } },
    description: 'Answers "what is my bounce rate trend compared to last month?" and "did traffic drop?": compares the current period with the previous one of equal length (period 1d|7d|14d|30d|90d; use 30d for "vs last month"). metrics.{total_events, unique_users, total_sessions, bounce_rate, avg_duration} each have current, previous, change and change_pct (integer percent; null when previous was 0 — always null-check). trend is growing|stable|declining. A flags array warns about bounce-rate spikes.',
    run: (c, a) => c.insights(a),
  }),
  tool({
    name: 'list_events', title: 'Raw events', readOnly: true, input: A.EventsQuery, api: ['GET /events'],
    refine: { required: PROJECT, fields: { limit: rows(50) } },
    description: `Answers "show me all events of a specific session" (pass session_id) or of a user (user_id) or one event name (event): raw events with properties, user_id, session_id, timestamp (epoch ms). ${PROJECT_TIP} limit 1-1000, default 50 here. ${PAGING}`,
    run: (c, a) => c.events(a),
  }),
  tool({
    name: 'get_pages', title: 'Landing and exit pages', readOnly: true, input: A.PagesQuery, api: ['GET /pages'],
    refine: { required: PROJECT, fields: { type: oneOf(PAGE_TYPES), limit: rows() } },
    description: `Answers "which pages do users land on most?": entry_pages (type=entry, default) and/or exit_pages (type=exit|both) with sessions, bounces, bounce_rate (0-1), avg_duration (ms) and avg_events, most sessions first. ${PROJECT_TIP}`,
    run: (c, a) => c.pages(a),
  }),
  tool({
    name: 'get_live', title: 'Who is on the site now', readOnly: true, input: R.LiveQuery, api: ['GET /live'],
    refine: { fields: { window: int(LIVE_WINDOW.min, LIVE_WINDOW.max) } },
    description: 'Answers "how many users are on my site right now?": active_visitors, active_sessions and events_per_minute over the last `window` seconds (10-300, default 60), plus top_pages, top_events and the 10 most recent events. project defaults to the account\'s first project.',
    run: (c, a) => c.live(a),
  }),
  tool({
    name: 'get_breakdown', title: 'Top values of a property', readOnly: true, input: A.BreakdownQuery, api: ['GET /breakdown'],
    refine: { required: [...PROJECT, 'property'], fields: { limit: rows() } },
    description: `Answers "break down signups by country": pass property (e.g. country, referrer, path, utm_source) and optionally event (e.g. signup). Returns values[] {value, count, unique_users} by count, plus total_events and total_with_property. ${PROJECT_TIP} Use list_properties first if you do not know the keys.`,
    run: (c, a) => c.breakdown(a),
  }),
  tool({
    name: 'run_funnel', title: 'Conversion funnel', readOnly: true, input: A.FunnelBody, api: ['POST /funnel'],
    refine: { required: PROJECT }, // steps, its bounds and the closed choices are the route's own schema
    description: 'Answers "what percentage of users complete my checkout funnel?": pass project and 2-8 ordered steps, e.g. [{"event":"page_view"},{"event":"checkout_start"},{"event":"purchase"}] (steps may carry property filters). Returns steps[] with users, conversion_rate and drop_off_rate (fractions 0-1 — multiply by 100 for percent) and avg_time_to_next_ms, plus overall_conversion_rate (0-1). conversion_window_hours defaults to 168, since to 30d; breakdown (e.g. "referrer") segments by a step-1 property. Find event names with discover_events.',
    run: (c, a) => c.funnel(a),
  }),
  tool({
    name: 'get_paths', title: 'Journeys from entry pages to a goal', readOnly: true, input: PathsBody, api: ['POST /paths'],
    refine: {
      required: [...PROJECT, 'goal_event'],
      fields: {
        since: oneOf(PATHS_SINCE), max_steps: bounds(PATHS_BOUNDS.max_steps), entry_limit: int(PATHS_BOUNDS.entry_limit[0], PATHS_BOUNDS.entry_limit[1], { default: 5 }),
        path_limit: int(PATHS_BOUNDS.path_limit[0], PATHS_BOUNDS.path_limit[1], { default: 3 }), candidate_session_cap: bounds(PATHS_BOUNDS.candidate_session_cap),
      },
    },
    description: 'Answers "what do visitors do between landing and signing up?" and "where do they leave instead?": pass project and goal_event (e.g. "signup"). For the top entry pages (entry_limit, default 5 here) it follows the most recent sessions (candidate_session_cap, default 5000) step by step: tree[] nodes are page (a page_view of another page), event (an interactive event) or goal (goal_event reached; the path ends), and a path without the goal ends in drop_off (session ended) or truncated (still going after max_steps, default 5), both with exit_page. Every node has sessions, conversions and conversion_rate (0-1); children are capped at path_limit (default 3 here), most sessions first. exit_pages[] per entry page shows where sessions ended with drop_offs and drop_off_rate. since is 1d|7d|14d|30d (default)|90d. Raise entry_limit/path_limit only when needed: trees grow fast. Find event names with discover_events.',
    run: (c, a) => c.request('POST', '/paths', { body: a }),
  }),
  tool({
    name: 'get_retention', title: 'Cohort retention', readOnly: true, input: A.RetentionQuery, api: ['GET /retention'],
    refine: { required: PROJECT, fields: { period: oneOf(Object.keys(RETENTION_PERIODS)), cohorts: int(1, Math.max(...Object.values(RETENTION_PERIODS).map((p) => p.max))) } },
    description: 'Answers "are users coming back after their first visit?": cohorts by first visit (period day|week|month, default week; cohorts default 8, at most 30 for day and 12 for week/month) with retained counts and rates; average_rates[i] is the share of users active i periods after their first — index 0 is always 1 (the cohort itself), real retention starts at index 1. Only users with a user_id count. A flags array marks a retention cliff (average_rates[1] < 0.10).',
    run: (c, a) => c.retention(a),
  }),
  tool({
    name: 'list_properties', title: 'Tracked custom properties', readOnly: true, input: A.PropertiesReceivedQuery, api: ['GET /properties/received'],
    refine: { required: PROJECT, fields: { sample: int(SAMPLE.min, SAMPLE.max) } },
    description: `Answers "what custom properties have been tracked?": properties[] of {key, event} pairs — which property keys appear on which event names — from the most recent events (sample, default 5000). ${PROJECT_TIP} For event names with counts use discover_events.`,
    run: (c, a) => c.propertiesReceived(a),
  }),
  tool({
    name: 'discover_events', title: 'Event names and property keys', readOnly: true, input: A.PropertiesQuery, api: ['GET /properties'],
    refine: { required: PROJECT },
    description: `Lists every event name tracked in the window with count, unique_users, first_seen and last_seen, plus the property keys in use. Use it before building a funnel, breakdown, query or experiment goal to get exact event names. ${PROJECT_TIP}`,
    run: (c, a) => c.properties(a),
  }),
  tool({
    name: 'run_query', title: 'Flexible aggregate query', readOnly: true, input: A.QueryBody, api: ['POST /query'],
    refine: {
      required: PROJECT,
      fields: {
        'metrics[]': oneOf(PUBLIC_METRICS), 'group_by[]': oneOf(PUBLIC_DIMENSIONS), 'filters[].op': oneOf(FILTER_OPS),
        order_by: oneOf(QUERY_ORDER_BY), order: oneOf(ORDER_DIRECTIONS), limit: rows(),
      },
    },
    description: 'Custom aggregation when no other tool fits: metrics (event_count, unique_users, session_count, bounce_rate, avg_duration) grouped by event|date|user_id|session_id|country, with AND-ed filters [{field, op, value}] on built-in fields or properties.<key> (ops eq, neq, gt, lt, gte, lte, contains), date_from/date_to and limit. rows are keyed by the echoed group_by fields and metrics — read those to interpret them. To group by a property use get_breakdown. An INVALID_FILTER_FIELD error lists the available properties.',
    run: (c, a) => c.query(a),
  }),
  tool({
    name: 'list_sessions', title: 'Sessions', readOnly: true, input: A.SessionsQuery, api: ['GET /sessions'],
    refine: { required: PROJECT, fields: { is_bounce: oneOf(['0', '1']), limit: rows(50) } },
    description: `Recent sessions with entry_page, exit_page, duration (ms), event_count and is_bounce; filter by user_id or is_bounce ("1"/"0"). ${PROJECT_TIP} limit 1-1000, default 50 here. ${PAGING.replace('ends the window', 'keeps sessions that started before it')} Use list_events with session_id to see one session's events.`,
    run: (c, a) => c.sessions(a),
  }),
  tool({
    name: 'get_session_distribution', title: 'Session length histogram', readOnly: true, input: A.SessionsDistributionQuery, api: ['GET /sessions/distribution'],
    refine: { required: PROJECT },
    description: `How long visits last: sessions per duration bucket (0s, 1-10s, 10-30s, 30-60s, 1-3m, 3-10m, 10m+) with bounces and pct, the median bucket and engaged_pct (share of sessions >= 30 s). ${PROJECT_TIP}`,
    run: (c, a) => c.sessionsDistribution(a),
  }),
  tool({
    name: 'get_heatmap', title: 'Traffic by weekday and hour', readOnly: true, input: A.HeatmapQuery, api: ['GET /heatmap'],
    refine: { required: PROJECT },
    description: `When traffic happens: non-empty (day 0=Sunday..6, hour 0-23 UTC) cells with events and users, the peak cell, busiest_day and busiest_hour. An empty heatmap (peak null) means no data in the window; a flags array says so. ${PROJECT_TIP}`,
    run: (c, a) => c.heatmap(a),
  }),
  tool({
    name: 'get_bot_traffic', title: 'Bots kept out of the data', readOnly: true, input: BotTrafficQuery, api: ['GET /bot-traffic', 'GET /account/bot-traffic'],
    refine: { fields: { period: oneOf(BOT_TRAFFIC_PERIODS), limit: int(BOT_TRAFFIC_LIMIT.min, BOT_TRAFFIC_LIMIT.max) } },
    description: 'Answers "are crawlers or AI agents hitting my site?" and "how much bot traffic was filtered?": requests the ingestion bot filter dropped (never stored as events), for the current period vs the one before (period 1d|7d|14d|30d|90d, default 7d; UTC days ending today). Pass project for one project; leave it out for the whole account (then projects[] ranks the projects, remaining_projects counts the rest). summary.automated_requests and summary.dropped_events are {current, previous, change, change_pct} (change_pct is an integer percent, null when previous was 0 — null-check), summary.last_seen_at is an ISO time or null; categories[] (ai_agent, search_crawler, social_preview, seo_research, headless_browser, monitoring_perf, generic_bot) with share_pct; the top actors[] (e.g. Googlebot, GPTBot; limit 1-50, default 10) and a zero-filled daily time_series. Scripted clients (curl, python-requests, node) are not bots: their events are stored.',
    run: (c, a) => {
      const { project, ...rest } = a;
      return project === undefined || project === '' ? c.request('GET', '/account/bot-traffic', { query: rest }) : c.request('GET', '/bot-traffic', { query: { project, ...rest } });
    },
  }),
  tool({
    name: 'track_event', title: 'Track one event', readOnly: false, destructive: false, idempotent: false, api: ['POST /track'],
    input: Type.Object({ ...I.TrackBody.properties, token: Type.Optional(I.TrackBody.properties.token) }),
    description: 'Answers "how do I track a custom event?" by sending one: event (name), optional properties (JSON object <= 8 KB), user_id, session_id and timestamp (epoch ms). Authenticates with the project token (aat_…); pass token, or just project (the name) and the token is looked up. {queued: true} means stored; it is queryable within about a second (check with list_events). Browsers use tracker.js instead (see create_project\'s snippet); from code call aa.track(name, properties). On a rate-limit error send several events with one track_batch call.',
    run: (c, a) => c.track(a),
  }),
  tool({
    name: 'track_batch', title: 'Track several events at once', readOnly: false, destructive: false, idempotent: false, api: ['POST /track/batch'],
    input: Type.Object({ ...I.TrackBatchBody.properties, project: I.TrackBody.properties.project }),
    description: 'Answers "can I send multiple events at once?": yes, events[] (1-100, each like track_event\'s fields). Give token (top level or per event) or project (the name, token looked up). All-or-nothing: an invalid event rejects the whole batch with its index. One call counts once against the rate limit — prefer it over many track_event calls.',
    run: (c, a) => c.trackBatch(a),
  }),
  tool({
    name: 'create_project', title: 'Create a project and get the snippet', readOnly: false, destructive: false, idempotent: true, input: P.CreateProjectBody, api: ['POST /projects'],
    refine: { required: ['name'], fields: { name: { pattern: PROJECT_NAME.source } } },
    description: 'Answers "how do I create a new project and get the tracking snippet?": pass name (^[a-zA-Z0-9._-]{1,64}$) and optionally allowed_origins ("*" or "https://example.com,http://localhost:3000"). Returns project_token, the ready <script> snippet to paste into every page, and an api_example. Idempotent: an existing name returns it with existing: true. Fails with 403 when the tier\'s project limit is reached (check get_account first).',
    run: (c, a) => c.createProject(a),
  }),
  tool({
    name: 'list_projects', title: 'List projects', readOnly: true, input: NoInput, api: ['GET /projects'],
    description: 'All projects of the account with id, name, project_token, allowed_origins, total_events and total_reads, plus tier and project_limit (-1 = unlimited). A flags array warns when the project limit is near.',
    run: (c) => c.projects(),
  }),
  tool({
    name: 'get_project', title: 'Project details', readOnly: true, input: P.ProjectIdParams, api: ['GET /projects/{id}'],
    refine: { rename: { project: 'id' } },
    description: 'One project by name (or id): project_token, allowed_origins, lifetime totals and usage_today {date, events, reads}.',
    run: (c, a) => c.project(a.id),
  }),
  tool({
    name: 'update_project', title: 'Rename a project or change its origins', readOnly: false, destructive: true, idempotent: true, input: withId(P.ProjectIdParams, P.PatchProjectBody), api: ['PATCH /projects/{id}'],
    refine: { rename: { project: 'id' }, fields: { name: { pattern: PROJECT_NAME.source } } },
    description: 'Replaces allowed_origins (lock ingestion to your domains, e.g. "https://example.com"; events from other origins are then refused) or renames a project that has no events yet (name = the new name). project is the current name or id.',
    run: (c, a) => c.updateProject(a.id, withoutId(a)),
  }),
  tool({
    name: 'get_account', title: 'Account limits and usage', readOnly: true, input: NoInput, api: ['GET /account'],
    description: 'Answers "what are my account limits and current usage?": tier, projects_count vs projects_limit, tier_limits (max_projects, max_events_lifetime, max_events_per_month, max_reads_per_month, retention_days, rate_limit_rpm; -1 = unlimited) and usage {month, events {lifetime, this_month, today}, reads {lifetime, this_month, today}} to compare with them. A flags array warns before the project limit is hit. Per-project totals: list_projects.',
    run: (c) => c.account({ include: 'usage' }),
  }),
  tool({
    name: 'rotate_api_key', title: 'Rotate the API key (the current key stops working)', readOnly: false, destructive: true, idempotent: false, api: ['POST /account/revoke-key'],
    input: Type.Object({ confirm: Type.Literal(true, { description: 'Must be true: the current API key stops working immediately' }) }),
    refine: { required: ['confirm'] },
    description: 'Revokes the API key this MCP server uses and returns a new one, shown only once: tell the user to store api_key now and put it in the MCP client configuration (AA_API_KEY for the stdio server, the X-API-Key header for the HTTP endpoint /mcp) — every client still holding the old key gets 401 AUTH_REQUIRED. The stdio server switches to the new key for the rest of its session. Only when the user asks to rotate (e.g. a leaked key); project tokens are not affected.',
    run: async (c) => {
      const rotated = await c.revokeKey();
      c.useApiKey(rotated.api_key);
      return { ...rotated, note: 'The previous key no longer works. Save api_key now (it is not shown again) and update the MCP client configuration.' };
    },
  }),
  tool({
    name: 'get_all_sites', title: 'All projects at a glance', readOnly: true, input: AllSitesQuery, api: ['GET /account/all-sites'],
    refine: { fields: { period: oneOf(ALL_SITES_PERIODS), limit: int(ALL_SITES_LIMIT.min, ALL_SITES_LIMIT.max) } },
    description: 'Answers "how are all my sites doing?" and "which project gets the most traffic?" across the whole account (no project needed): summary.total_events {current, previous, change, change_pct (integer percent; null when previous was 0 — null-check)} for the current period vs the one before (period 1d|7d|14d|30d|90d, default 7d; UTC days ending today), total_projects and active_projects (with events this period), a zero-filled daily time_series, and the top projects[] {id, name, events, share_pct (percent, 1 decimal), last_active_date} by events (limit 1-50, default 10; remaining_projects counts the rest). Drill into one project with get_insights or get_stats.',
    run: (c, a) => c.request('GET', '/account/all-sites', { query: a }),
  }),
  tool({
    name: 'get_project_context', title: 'What the site is for: goals, activation events, glossary', readOnly: true, input: PC.ProjectContextQuery, api: ['GET /project-context'],
    refine: { required: PROJECT },
    description: 'Read this before interpreting a project\'s numbers: project_context.goals (what the site is for, up to 5), activation_events (the event names that mean a user got value, up to 8) and glossary[] {event_name, term, definition} (what the business calls each event, up to 10). All lists may be empty — then ask the user and save them with set_project_context. Every analytics tool also returns project_context while it is non-empty. Needs `project` (name or id).',
    run: (c, a) => c.request('GET', '/project-context', { query: a }),
  }),
  tool({
    name: 'set_project_context', title: 'Save the site\'s goals, activation events and glossary', readOnly: false, destructive: true, idempotent: true, input: PC.PutProjectContextBody, api: ['PUT /project-context'],
    refine: { required: PROJECT },
    description: 'Replaces a project\'s whole context (a list left out becomes empty, so read it with get_project_context first and send every list back): goals (<= 5 strings of <= 160 chars, e.g. "Turn visitors into trial signups"), activation_events (<= 8 event names of <= 96 chars, e.g. "signup"), glossary (<= 10 entries {event_name <= 96, term <= 64, definition <= 240}). Strings are trimmed and must not be empty; anything over a limit is rejected (INVALID_BODY naming the field), never cut. Use the exact event names discover_events lists. Answers ok: true with the stored context.',
    run: (c, a) => c.request('PUT', '/project-context', { body: a }),
  }),
  tool({
    name: 'create_experiment', title: 'Start an A/B test', readOnly: false, destructive: false, idempotent: false, input: E.CreateExperimentBody, api: ['POST /experiments'],
    refine: {
      required: PROJECT, // name, variants and goal_event, their patterns and bounds are the route's own schema
    },
    description: 'Answers "how do I run an A/B test on my signup flow?": pass project, name (the key the page uses: const v = aa.experiment(name)), variants (2-4 keys, first = control, e.g. ["control","new_cta"]), goal_event (e.g. "signup_complete") and optional weights summing to 100. The tracker assigns variants and sends $experiment_exposure events; conversions are goal_event events after exposure. Pro tier only (PRO_REQUIRED otherwise); a name already used answers EXPERIMENT_NAME_EXISTS — see list_experiments. Read results with get_experiment.',
    run: (c, a) => c.createExperiment(a),
  }),
  tool({
    name: 'get_experiment', title: 'Experiment results', readOnly: true, input: E.ExperimentIdParams, api: ['GET /experiments/{id}'],
    refine: { rename: { experiment_id: 'id' } },
    description: 'Answers "which experiment variant is winning?": per-variant exposures, unique_users, conversions and conversion_rate, probability_best (Bayesian, 0-1), lift vs control, sufficient_data (>= 100 exposures per variant) and a recommendation sentence. A flags array warns when no variant converted after 48 h (goal_event probably wrong). experiment_id is the id (exp_…) list_experiments shows; finish with update_experiment.',
    run: (c, a) => c.experiment(a.id),
  }),
  tool({
    name: 'list_experiments', title: 'List experiments', readOnly: true, input: E.ExperimentsListQuery, api: ['GET /experiments'],
    refine: { required: PROJECT },
    description: 'All experiments of a project (any status), newest first, with id (the experiment_id of get_experiment and update_experiment), name, variants, goal_event, status and winner.',
    run: (c, a) => c.experiments(a),
  }),
  tool({
    name: 'update_experiment', title: 'Pause, resume or complete an experiment', readOnly: false, destructive: true, idempotent: true,
    input: withId(E.ExperimentIdParams, E.PatchExperimentBody), api: ['PATCH /experiments/{id}'],
    refine: { required: ['experiment_id'], rename: { experiment_id: 'id' } }, // status and its choices are the route's own schema
    description: 'Set status: "paused", "active" (resume) or "completed" (final, cannot be undone: pass winner with the winning variant key once get_experiment shows a clear result; completing without winner leaves winner null).',
    run: (c, a) => c.updateExperiment(a.id, withoutId(a)),
  }),
  tool({
    name: 'send_feedback', title: 'Tell the operators what worked or did not', readOnly: false, destructive: false, idempotent: false, api: ['POST /account/feedback'],
    input: Type.Object({ ...PC.FeedbackBody.properties, message: PC.FeedbackMessage }, { additionalProperties: false }),
    description: 'Sends feedback about this analytics server to its operators: message (required, <= 4000 chars: what you tried, what went wrong or is missing), optionally project (one of the account\'s projects), command (the tool concerned, <= 500 chars) and context (a string or JSON object, <= 4000 chars as JSON — never include secrets such as API keys). Answers ok: true.',
    run: (c, a) => c.request('POST', '/account/feedback', { body: a }),
  }),
  // Journeys and portfolios (src/http/routes/journey.ts, portfolios.ts).
  tool({
    name: 'get_journey', title: "One user's journey, event by event", readOnly: true, input: JourneyQuery, api: ['GET /journey'],
    refine: { required: ['project', 'user_id'], fields: { limit: rows(100) } },
    description: 'Answers "what did this user do?" and "what happened before they signed up?": one user\'s events oldest first (event, timestamp epoch ms, session_id, properties with path/referrer), across sessions. Pass project and user_id (an anonymous id such as anon_… that was identified shows the identified user: profiles[0].user_id is the id the events carry). profiles[0] has event_count, session_count, first_seen and last_seen for the whole window; truncated: true means more events exist than limit (1-1000, default 100) returned — raise limit or move since (default 30d) forward. profiles is empty when the user has no events in the window. Find user ids with list_sessions or list_events. This server keeps no email addresses: look users up by user_id.',
    run: (c, a) => c.request('GET', '/journey', { query: a }),
  }),
  tool({
    name: 'list_portfolios', title: 'List portfolios (groups of projects)', readOnly: true, input: NoInput, api: ['GET /portfolios'],
    description: 'Lists the account\'s portfolios — named groups of its projects (e.g. a product site, its docs and its blog) — slug ascending, each with id, slug, name and members[] {project_id, project (name), added_at}. A project belongs to at most one portfolio. Use get_portfolio_context for what the group is for.',
    run: (c) => c.request('GET', '/portfolios'),
  }),
  tool({
    name: 'get_portfolio', title: 'One portfolio and its projects', readOnly: true, input: PF.PortfolioParams, api: ['GET /portfolios/{idOrSlug}'],
    refine: { rename: { portfolio: 'idOrSlug' } },
    description: 'One portfolio by `portfolio` (its pf_… id or its slug): {portfolio: {id, slug, name, created_at, updated_at, members[] {project_id, project, added_at}}}. Deleted projects drop out of members. Get slugs from list_portfolios.',
    run: (c, a) => c.request('GET', `/portfolios/${encodeURIComponent(a.idOrSlug)}`),
  }),
  tool({
    name: 'create_portfolio', title: 'Group projects into a portfolio', readOnly: false, destructive: false, idempotent: false,
    input: PF.CreatePortfolioBody, api: ['POST /portfolios'], refine: { required: ['name'] },
    description: 'Creates a portfolio: name (required), optional slug (lower-case letters, digits, - and _; derived from the name when left out) and projects (names or ids of the account\'s projects). A project belongs to at most one portfolio: listing one that is already in another portfolio fails with 409 PROJECT_IN_PORTFOLIO naming both, unless allow_move is true, which moves it here — ask the user before moving. A taken slug is 409 PORTFOLIO_SLUG_EXISTS; unknown projects are 404 naming them. Answers {ok: true, portfolio}.',
    run: (c, a) => c.request('POST', '/portfolios', { body: a }),
  }),
  tool({
    name: 'update_portfolio', title: 'Rename a portfolio or change its projects', readOnly: false, destructive: true, idempotent: true,
    input: withId(PF.PortfolioParams, PF.PatchPortfolioBody), api: ['PATCH /portfolios/{idOrSlug}'], refine: { required: ['portfolio'], rename: { portfolio: 'idOrSlug' } },
    description: 'Changes a portfolio (`portfolio` = its id or slug): name, slug, and/or projects — which REPLACES the member list whole (read it with get_portfolio first and send every project that should stay; [] removes all). allow_move as in create_portfolio. Answers {ok: true, portfolio}.',
    run: (c, { idOrSlug, ...body }) => c.request('PATCH', `/portfolios/${encodeURIComponent(idOrSlug)}`, { body }),
  }),
  tool({
    name: 'delete_portfolio', title: 'Delete a portfolio (its projects stay)', readOnly: false, destructive: true, idempotent: true,
    input: PF.PortfolioParams, api: ['DELETE /portfolios/{idOrSlug}'], refine: { rename: { portfolio: 'idOrSlug' } },
    description: 'Deletes the portfolio named by `portfolio` (id or slug). Only the grouping goes: its projects, their events and the portfolio context are untouched, and the projects can join another portfolio. Not undoable — confirm with the user first. Answers {ok: true, deleted: <id>}.',
    run: (c, a) => c.request('DELETE', `/portfolios/${encodeURIComponent(a.idOrSlug)}`),
  }),
  tool({
    name: 'get_portfolio_context', title: 'What the account\'s sites are for together', readOnly: true, input: NoInput, api: ['GET /portfolio-context'],
    description: 'Reads the account\'s portfolio context: goals the sites share (up to 5), surface_roles[] {project_id, project, role} (what each site does, e.g. discovery or conversion), shared_milestones (event names that mark progress across sites, up to 8) and glossary[] {term, definition}. All lists may be empty — then ask the user and save them with set_portfolio_context. For one project\'s own goals use get_project_context.',
    run: (c) => c.request('GET', '/portfolio-context'),
  }),
  tool({
    name: 'set_portfolio_context', title: 'Save the shared goals, site roles and milestones', readOnly: false, destructive: true, idempotent: true,
    input: PF.PutPortfolioContextBody, api: ['PUT /portfolio-context'],
    description: 'REPLACES the account\'s whole portfolio context (a list left out becomes empty, so read it with get_portfolio_context first and send every list back): goals (<= 5 strings of <= 160 chars), surface_roles (<= 20 {project: name or id of one of the account\'s projects, role <= 96 chars}, one per project), shared_milestones (<= 8 event names of <= 96 chars) and glossary (<= 10 {term <= 64, definition <= 240}). Strings are trimmed and must not be empty; anything over a limit is rejected (400 INVALID_BODY naming the field), never cut; an unknown project is 404. Answers ok: true with the stored context.',
    run: (c, a) => c.request('PUT', '/portfolio-context', { body: a }),
  }),
];

