// The MCP tools: one per question an agent asks, each over one API call of the typed client. Input schemas
// are the routes' own TypeBox schemas (src/http/schemas), never a second declaration.
import { type TObject, Type } from 'typebox';
import { AllSitesQuery } from '../http/schemas/all-sites.js';
import * as A from '../http/schemas/analytics.js';
import { BotTrafficQuery } from '../http/schemas/bot-traffic.js';
import * as E from '../http/schemas/experiments.js';
import * as I from '../http/schemas/ingest.js';
import * as P from '../http/schemas/projects.js';
import { PathsBody } from '../http/schemas/paths.js';
import { JourneyQuery } from '../http/schemas/journey.js';
import * as PF from '../http/schemas/portfolios.js';
import * as PC from '../http/schemas/project-context.js';
import * as R from '../http/schemas/realtime.js';
import { ProjectQuery } from '../http/schemas/common.js';
import type { AnalyticsClient } from '../cli/client.js';

export interface ToolDef {
  name: string;
  title: string;
  /** Written for the agent: which question it answers, how to read the result, what to do next. */
  description: string;
  input: TObject;
  readOnly: boolean;
  run(client: AnalyticsClient, args: Record<string, unknown>): Promise<unknown>;
}

const NoInput = Type.Object({});
/** The routes keep `project` optional (the contract answers PROJECT_REQUIRED in code); tools declare it required. */
const requireProject = (q: TObject) => Type.Object({ ...q.properties, project: ProjectQuery });
/** Path id + body fields: the same property schemas, composed. */
const withId = (params: TObject, body: TObject) => Type.Object({ ...params.properties, ...body.properties });
const withoutId = ({ id: _id, ...rest }: Record<string, unknown>) => rest;

const PROJECT_TIP = 'Needs `project` (the project name; get_account/list_projects show them). `since` takes Nd (7d, 30d) or an ISO date; all times are UTC.';

// Casts: the arguments were validated against `input` before run() is called.
export const TOOLS: ToolDef[] = [
  {
    name: 'get_stats', title: 'Traffic overview', readOnly: true, input: requireProject(A.StatsQuery),
    description: `Answers "what are my overall traffic stats for the last week?": totals (total_events, unique_users), a time series (groupBy hour|day|week|month), the top 20 events and session metrics (total_sessions, bounce_rate 0-1, avg_duration ms). ${PROJECT_TIP} Default window: the last 7 days. A flags array warns e.g. when events arrive without user_id.`,
    run: (c, a) => c.stats(a as any),
  },
  {
    name: 'get_insights', title: 'Period-over-period comparison', readOnly: true, input: requireProject(A.InsightsQuery),
    description: 'Answers "what is my bounce rate trend compared to last month?" and "did traffic drop?": compares the current period with the previous one of equal length (period 1d|7d|14d|30d|90d; use 30d for "vs last month"). metrics.{total_events, unique_users, total_sessions, bounce_rate, avg_duration} each have current, previous, change and change_pct (integer percent; null when previous was 0 — always null-check). trend is growing|stable|declining. A flags array warns about bounce-rate spikes.',
    run: (c, a) => c.insights(a as any),
  },
  {
    name: 'list_events', title: 'Raw events', readOnly: true, input: requireProject(A.EventsQuery),
    description: `Answers "show me all events of a specific session" (pass session_id) or of a user (user_id) or one event name (event): raw events newest first with properties, user_id, session_id, timestamp (epoch ms). ${PROJECT_TIP} limit 1-1000 (default 100); there is no cursor, narrow since to page.`,
    run: (c, a) => c.events(a as any),
  },
  {
    name: 'get_pages', title: 'Landing and exit pages', readOnly: true, input: requireProject(A.PagesQuery),
    description: `Answers "which pages do users land on most?": entry_pages (type=entry, default) and/or exit_pages (type=exit|both) with sessions, bounces, bounce_rate (0-1), avg_duration (ms) and avg_events, most sessions first. ${PROJECT_TIP}`,
    run: (c, a) => c.pages(a as any),
  },
  {
    name: 'get_live', title: 'Who is on the site now', readOnly: true, input: R.LiveQuery,
    description: 'Answers "how many users are on my site right now?": active_visitors, active_sessions and events_per_minute over the last `window` seconds (10-300, default 60), plus top_pages, top_events and the 10 most recent events. project defaults to the account\'s first project.',
    run: (c, a) => c.live(a as any),
  },
  {
    name: 'get_breakdown', title: 'Top values of a property', readOnly: true, input: requireProject(A.BreakdownQuery),
    description: `Answers "break down signups by country": pass property (e.g. country, referrer, path, utm_source) and optionally event (e.g. signup). Returns values[] {value, count, unique_users} by count, plus total_events and total_with_property. ${PROJECT_TIP} Use list_properties first if you do not know the keys.`,
    run: (c, a) => c.breakdown(a as any),
  },
  {
    name: 'run_funnel', title: 'Conversion funnel', readOnly: true, input: requireProject(A.FunnelBody),
    description: 'Answers "what percentage of users complete my checkout funnel?": pass project and 2-8 ordered steps, e.g. [{"event":"page_view"},{"event":"checkout_start"},{"event":"purchase"}] (steps may carry property filters). Returns steps[] with users, conversion_rate and drop_off_rate (fractions 0-1 — multiply by 100 for percent) and avg_time_to_next_ms, plus overall_conversion_rate (0-1). conversion_window_hours defaults to 168, since to 30d; breakdown (e.g. "referrer") segments by a step-1 property. Find event names with discover_events.',
    run: (c, a) => c.funnel(a as any),
  },
  {
    name: 'get_paths', title: 'Journeys from entry pages to a goal', readOnly: true, input: requireProject(PathsBody),
    description: 'Answers "what do visitors do between landing and signing up?" and "where do they leave instead?": pass project and goal_event (e.g. "signup"). For the top entry pages (entry_limit, default 10) it follows the most recent sessions (candidate_session_cap, default 5000) step by step: tree[] nodes are page (a page_view of another page), event (an interactive event) or goal (goal_event reached; the path ends), and a path without the goal ends in drop_off (session ended) or truncated (still going after max_steps, default 5), both with exit_page. Every node has sessions, conversions and conversion_rate (0-1); children are capped at path_limit (default 5), most sessions first. exit_pages[] per entry page shows where sessions ended with drop_offs and drop_off_rate. since is 1d|7d|14d|30d (default)|90d. Find event names with discover_events.',
    run: (c, a) => c.request('POST', '/paths', { body: a }),
  },
  {
    name: 'get_retention', title: 'Cohort retention', readOnly: true, input: requireProject(A.RetentionQuery),
    description: 'Answers "are users coming back after their first visit?": cohorts by first visit (period day|week|month, default week; cohorts default 8) with retained counts and rates; average_rates[i] is the share of users active i periods after their first — index 0 is always 1 (the cohort itself), real retention starts at index 1. Only users with a user_id count. A flags array marks a retention cliff (average_rates[1] < 0.10).',
    run: (c, a) => c.retention(a as any),
  },
  {
    name: 'list_properties', title: 'Tracked custom properties', readOnly: true, input: requireProject(A.PropertiesReceivedQuery),
    description: `Answers "what custom properties have been tracked?": properties[] of {key, event} pairs — which property keys appear on which event names — from the most recent events (sample, default 5000). ${PROJECT_TIP} For event names with counts use discover_events.`,
    run: (c, a) => c.propertiesReceived(a as any),
  },
  {
    name: 'discover_events', title: 'Event names and property keys', readOnly: true, input: requireProject(A.PropertiesQuery),
    description: `Lists every event name tracked in the window with count, unique_users, first_seen and last_seen, plus the property keys in use. Use it before building a funnel, breakdown, query or experiment goal to get exact event names. ${PROJECT_TIP}`,
    run: (c, a) => c.properties(a as any),
  },
  {
    name: 'run_query', title: 'Flexible aggregate query', readOnly: true, input: requireProject(A.QueryBody),
    description: 'Custom aggregation when no other tool fits: metrics (event_count, unique_users, session_count, bounce_rate, avg_duration) grouped by event|date|user_id|session_id|country, with AND-ed filters [{field, op, value}] on built-in fields or properties.<key> (ops eq, neq, gt, lt, gte, lte, contains), date_from/date_to and limit. rows are keyed by the echoed group_by fields and metrics — read those to interpret them. An INVALID_FILTER_FIELD error lists the available properties.',
    run: (c, a) => c.query(a as any),
  },
  {
    name: 'list_sessions', title: 'Sessions', readOnly: true, input: requireProject(A.SessionsQuery),
    description: `Recent sessions (newest first) with entry_page, exit_page, duration (ms), event_count and is_bounce; filter by user_id or is_bounce ("1"/"0"). ${PROJECT_TIP} Use list_events with session_id to see one session's events.`,
    run: (c, a) => c.sessions(a as any),
  },
  {
    name: 'get_session_distribution', title: 'Session length histogram', readOnly: true, input: requireProject(A.SessionsDistributionQuery),
    description: `How long visits last: sessions per duration bucket (0s, 1-10s, 10-30s, 30-60s, 1-3m, 3-10m, 10m+) with bounces and pct, the median bucket and engaged_pct (share of sessions >= 30 s). ${PROJECT_TIP}`,
    run: (c, a) => c.sessionsDistribution(a as any),
  },
  {
    name: 'get_heatmap', title: 'Traffic by weekday and hour', readOnly: true, input: requireProject(A.HeatmapQuery),
    description: `When traffic happens: non-empty (day 0=Sunday..6, hour 0-23 UTC) cells with events and users, the peak cell, busiest_day and busiest_hour. An empty heatmap (peak null) means no data in the window; a flags array says so. ${PROJECT_TIP}`,
    run: (c, a) => c.heatmap(a as any),
  },
  {
    name: 'get_bot_traffic', title: 'Bots kept out of the data', readOnly: true, input: BotTrafficQuery,
    description: 'Answers "are crawlers or AI agents hitting my site?" and "how much bot traffic was filtered?": requests the ingestion bot filter dropped (never stored as events), for the current period vs the one before (period 1d|7d|14d|30d|90d, default 7d; UTC days ending today). Pass project for one project; leave it out for the whole account (then projects[] ranks the projects, remaining_projects counts the rest). summary.automated_requests and summary.dropped_events are {current, previous, change, change_pct} (change_pct is an integer percent, null when previous was 0 — null-check), summary.last_seen_at is an ISO time or null; categories[] (ai_agent, search_crawler, social_preview, seo_research, headless_browser, monitoring_perf, generic_bot) with share_pct; the top actors[] (e.g. Googlebot, GPTBot; limit 1-50, default 10) and a zero-filled daily time_series. Scripted clients (curl, python-requests, node) are not bots: their events are stored.',
    run: (c, a) => {
      const { project, ...rest } = a as Record<string, string | undefined>;
      return project === undefined || project === '' ? c.request('GET', '/account/bot-traffic', { query: rest }) : c.request('GET', '/bot-traffic', { query: { project, ...rest } });
    },
  },
  {
    name: 'track_event', title: 'Track one event', readOnly: false, input: Type.Object({ ...I.TrackBody.properties, token: Type.Optional(I.TrackBody.properties.token) }),
    description: 'Answers "how do I track a custom event?" by sending one: POST /track with event (name), optional properties (JSON object <= 8 KB), user_id, session_id and timestamp (epoch ms). Authenticates with the project token (aat_…); pass token, or just project (the name) and the token is looked up. A 202 {queued: true} means stored; it is queryable within about a second. Browsers use tracker.js instead (see create_project\'s snippet); from code call aa.track(name, properties). On 429 the error names the token and the account rate_limit_rpm: batch events or space requests.',
    run: (c, a) => c.track(a as any),
  },
  {
    name: 'track_batch', title: 'Track several events at once', readOnly: false, input: Type.Object({ ...I.TrackBatchBody.properties, project: I.TrackBody.properties.project }),
    description: 'Answers "can I send multiple events at once?": yes, POST /track/batch with events[] (1-100, each like track_event\'s fields). Give token (top level or per event) or project (the name, token looked up). All-or-nothing: an invalid event rejects the whole batch with its index. One request counts once against the rate limit — prefer it over many track_event calls.',
    run: (c, a) => c.trackBatch(a as any),
  },
  {
    name: 'create_project', title: 'Create a project and get the snippet', readOnly: false, input: P.CreateProjectBody,
    description: 'Answers "how do I create a new project and get the tracking snippet?": pass name (^[a-zA-Z0-9._-]{1,64}$) and optionally allowed_origins ("*" or "https://example.com,http://localhost:3000"). Returns project_token, the ready <script> snippet to paste into every page, and an api_example. Idempotent: an existing name returns it with existing: true. Fails with 403 when the tier\'s project limit is reached (check get_account first).',
    run: (c, a) => c.createProject(a as any),
  },
  {
    name: 'list_projects', title: 'List projects', readOnly: true, input: NoInput,
    description: 'All projects of the account with id, name, project_token, allowed_origins, total_events and total_reads, plus tier and project_limit (-1 = unlimited). A flags array warns when the project limit is near.',
    run: (c) => c.projects(),
  },
  {
    name: 'get_project', title: 'Project details', readOnly: true, input: P.ProjectIdParams,
    description: 'One project by id (or name): token, allowed origins, lifetime totals and usage_today {date, events, reads}.',
    run: (c, a) => c.project(String(a.id)),
  },
  {
    name: 'update_project', title: 'Rename a project or change its origins', readOnly: false, input: withId(P.ProjectIdParams, P.PatchProjectBody),
    description: 'Change allowed_origins (lock ingestion to your domains, e.g. "https://example.com") or rename a project that has no events yet. id is the project id or name.',
    run: (c, a) => c.updateProject(String(a.id), withoutId(a) as any),
  },
  {
    name: 'get_account', title: 'Account limits and usage', readOnly: true, input: NoInput,
    description: 'Answers "what are my account limits and current usage?": tier, projects_count vs projects_limit, tier_limits (max_projects, max_events_lifetime, max_events_per_month, max_reads_per_month, retention_days, rate_limit_rpm; -1 = unlimited). A flags array warns before the project limit is hit.',
    run: (c) => c.account(),
  },
  {
    name: 'get_all_sites', title: 'All projects at a glance', readOnly: true, input: AllSitesQuery,
    description: 'Answers "how are all my sites doing?" and "which project gets the most traffic?" across the whole account (no project needed): summary.total_events {current, previous, change, change_pct (integer percent; null when previous was 0 — null-check)} for the current period vs the one before (period 1d|7d|14d|30d|90d, default 7d; UTC days ending today), total_projects and active_projects (with events this period), a zero-filled daily time_series, and the top projects[] {id, name, events, share_pct (percent, 1 decimal), last_active_date} by events (limit 1-50, default 10; remaining_projects counts the rest). Drill into one project with get_insights or get_stats.',
    run: (c, a) => c.request('GET', '/account/all-sites', { query: a as Record<string, string | number | undefined> }),
  },
  {
    name: 'get_project_context', title: 'What the site is for: goals, activation events, glossary', readOnly: true, input: requireProject(PC.ProjectContextQuery),
    description: 'Read this before interpreting a project\'s numbers: project_context.goals (what the site is for, up to 5), activation_events (the event names that mean a user got value, up to 8) and glossary[] {event_name, term, definition} (what the business calls each event, up to 10). All lists may be empty — then ask the user and save them with set_project_context. Every analytics tool also returns project_context while it is non-empty. Needs `project` (name or id).',
    run: (c, a) => c.request('GET', '/project-context', { query: a as Record<string, string | undefined> }),
  },
  {
    name: 'set_project_context', title: 'Save the site\'s goals, activation events and glossary', readOnly: false, input: requireProject(PC.PutProjectContextBody),
    description: 'Replaces a project\'s whole context (a list left out becomes empty, so read it with get_project_context first and send every list back): goals (<= 5 strings of <= 160 chars, e.g. "Turn visitors into trial signups"), activation_events (<= 8 event names of <= 96 chars, e.g. "signup"), glossary (<= 10 entries {event_name <= 96, term <= 64, definition <= 240}). Strings are trimmed and must not be empty; anything over a limit is rejected (400 INVALID_BODY naming the field), never cut. Use the exact event names discover_events lists. Answers ok: true with the stored context.',
    run: (c, a) => c.request('PUT', '/project-context', { body: a }),
  },
  {
    name: 'create_experiment', title: 'Start an A/B test', readOnly: false, input: requireProject(E.CreateExperimentBody),
    description: 'Answers "how do I run an A/B test on my signup flow?": pass project, name (the key the page uses: const v = aa.experiment(name)), variants (2-4 keys, first = control, e.g. ["control","new_cta"]), goal_event (e.g. "signup_complete") and optional weights summing to 100. The tracker assigns variants and sends $experiment_exposure events; conversions are goal_event events after exposure. Pro tier only (403 PRO_REQUIRED otherwise); a name already used answers 409.',
    run: (c, a) => c.createExperiment(a as any),
  },
  {
    name: 'get_experiment', title: 'Experiment results', readOnly: true, input: E.ExperimentIdParams,
    description: 'Answers "which experiment variant is winning?": per-variant exposures, unique_users, conversions and conversion_rate, probability_best (Bayesian, 0-1), lift vs control, sufficient_data (>= 100 exposures per variant) and a recommendation sentence. A flags array warns when no variant converted after 48 h (goal_event probably wrong). Get ids from list_experiments.',
    run: (c, a) => c.experiment(String(a.id)),
  },
  {
    name: 'list_experiments', title: 'List experiments', readOnly: true, input: requireProject(E.ExperimentsListQuery),
    description: 'All experiments of a project (any status), newest first, with id, name, variants, goal_event, status and winner.',
    run: (c, a) => c.experiments(a as any),
  },
  {
    name: 'update_experiment', title: 'Pause, resume or complete an experiment', readOnly: false, input: withId(E.ExperimentIdParams, E.PatchExperimentBody),
    description: 'Set status: "paused", "active" (resume) or "completed" (final; pass winner with the winning variant key once get_experiment shows a clear result). Completing without winner leaves winner null.',
    run: (c, a) => c.updateExperiment(String(a.id), withoutId(a) as any),
  },
  {
    name: 'send_feedback', title: 'Tell the operators what worked or did not', readOnly: false, input: Type.Object({ ...PC.FeedbackBody.properties, message: PC.FeedbackMessage }),
    description: 'Sends feedback about this analytics server to its operators: message (required, <= 4000 chars: what you tried, what went wrong or is missing), optionally project (one of the account\'s projects), command (the tool or request concerned, <= 500 chars) and context (a string or JSON object, <= 4000 chars as JSON — never include secrets such as API keys). Answers ok: true.',
    run: (c, a) => c.request('POST', '/account/feedback', { body: a }),
  },
  // Journeys and portfolios (src/http/routes/journey.ts, portfolios.ts).
  {
    name: 'get_journey', title: "One user's journey, event by event", readOnly: true,
    input: Type.Object({ ...JourneyQuery.properties, project: ProjectQuery, user_id: Type.String({ description: 'The user whose journey to show (<= 256 characters), e.g. user_42 or an anonymous anon_… id' }) }),
    description: 'Answers "what did this user do?" and "what happened before they signed up?": one user\'s events oldest first (event, timestamp epoch ms, session_id, properties with path/referrer), across sessions. Pass project and user_id (an anonymous id such as anon_… that was identified shows the identified user: profiles[0].user_id is the id the events carry). profiles[0] has event_count, session_count, first_seen and last_seen for the whole window; truncated: true means more events exist than limit (1-1000, default 100) returned — raise limit or move since (default 30d) forward. profiles is empty when the user has no events in the window. Find user ids with list_sessions or list_events. This server keeps no email addresses: look users up by user_id.',
    run: (c, a) => c.request('GET', '/journey', { query: a as Record<string, string | number | undefined> }),
  },
  {
    name: 'list_portfolios', title: 'List portfolios (groups of projects)', readOnly: true, input: NoInput,
    description: 'Lists the account\'s portfolios — named groups of its projects (e.g. a product site, its docs and its blog) — slug ascending, each with id, slug, name and members[] {project_id, project (name), added_at}. A project belongs to at most one portfolio. Use get_portfolio_context for what the group is for.',
    run: (c) => c.request('GET', '/portfolios'),
  },
  {
    name: 'get_portfolio', title: 'One portfolio and its projects', readOnly: true, input: PF.PortfolioParams,
    description: 'One portfolio by idOrSlug (its pf_… id or its slug): {portfolio: {id, slug, name, created_at, updated_at, members[] {project_id, project, added_at}}}. Deleted projects drop out of members. Get slugs from list_portfolios.',
    run: (c, a) => c.request('GET', `/portfolios/${encodeURIComponent(String(a.idOrSlug))}`),
  },
  {
    name: 'create_portfolio', title: 'Group projects into a portfolio', readOnly: false,
    input: Type.Object({ ...PF.CreatePortfolioBody.properties, name: PF.PortfolioName('Display name, e.g. "Growth system"') }),
    description: 'Creates a portfolio: name (required), optional slug (lower-case letters, digits, - and _; derived from the name when left out) and projects (names or ids of the account\'s projects). A project belongs to at most one portfolio: listing one that is already in another portfolio fails with 409 PROJECT_IN_PORTFOLIO naming both, unless allow_move is true, which moves it here — ask the user before moving. A taken slug is 409 PORTFOLIO_SLUG_EXISTS; unknown projects are 404 naming them. Answers {ok: true, portfolio}.',
    run: (c, a) => c.request('POST', '/portfolios', { body: a }),
  },
  {
    name: 'update_portfolio', title: 'Rename a portfolio or change its projects', readOnly: false, input: withId(PF.PortfolioParams, PF.PatchPortfolioBody),
    description: 'Changes a portfolio (idOrSlug = its id or slug): name, slug, and/or projects — which REPLACES the member list whole (read it with get_portfolio first and send every project that should stay; [] removes all). allow_move as in create_portfolio. Answers {ok: true, portfolio}.',
    run: (c, { idOrSlug, ...body }) => c.request('PATCH', `/portfolios/${encodeURIComponent(String(idOrSlug))}`, { body }),
  },
  {
    name: 'delete_portfolio', title: 'Delete a portfolio (its projects stay)', readOnly: false, input: PF.PortfolioParams,
    description: 'Deletes the portfolio named by idOrSlug (id or slug). Only the grouping goes: its projects, their events and the portfolio context are untouched, and the projects can join another portfolio. Not undoable — confirm with the user first. Answers {ok: true, deleted: <id>}.',
    run: (c, a) => c.request('DELETE', `/portfolios/${encodeURIComponent(String(a.idOrSlug))}`),
  },
  {
    name: 'get_portfolio_context', title: 'What the account\'s sites are for together', readOnly: true, input: NoInput,
    description: 'Reads the account\'s portfolio context: goals the sites share (up to 5), surface_roles[] {project_id, project, role} (what each site does, e.g. discovery or conversion), shared_milestones (event names that mark progress across sites, up to 8) and glossary[] {term, definition}. All lists may be empty — then ask the user and save them with set_portfolio_context. For one project\'s own goals use get_project_context.',
    run: (c) => c.request('GET', '/portfolio-context'),
  },
  {
    name: 'set_portfolio_context', title: 'Save the shared goals, site roles and milestones', readOnly: false, input: PF.PutPortfolioContextBody,
    description: 'REPLACES the account\'s whole portfolio context (a list left out becomes empty, so read it with get_portfolio_context first and send every list back): goals (<= 5 strings of <= 160 chars), surface_roles (<= 20 {project: name or id of one of the account\'s projects, role <= 96 chars}, one per project), shared_milestones (<= 8 event names of <= 96 chars) and glossary (<= 10 {term <= 64, definition <= 240}). Strings are trimmed and must not be empty; anything over a limit is rejected (400 INVALID_BODY naming the field), never cut; an unknown project is 404. Answers ok: true with the stored context.',
    run: (c, a) => c.request('PUT', '/portfolio-context', { body: a }),
  },
];
