// GET /bot-traffic and GET /account/bot-traffic (Appendix A): the query parameters and the responses, for
// the OpenAPI document, the CLI and the MCP tool. Permissive inputs: the report answers bad values with
// the contract's codes (PROJECT_REQUIRED, MISSING_FIELDS). Documentation only on the way out.
import { Type } from 'typebox';
import { IntegerParam } from './analytics.js';
import { ProjectQuery } from './common.js';

const Int = Type.Integer;
const Str = Type.String;
const LastSeen = (what: string) => Str({ format: 'date-time', description: `ISO 8601 UTC time of the latest ${what} (like every *_at field)`, examples: ['2026-03-09T08:14:03.120Z'] });

const Period = Type.Optional(Str({ description: 'Comparison window: 1d | 7d (default) | 14d | 30d | 90d — the current N UTC days ending today vs the N days before; other values are a 400 MISSING_FIELDS', examples: ['30d'] }));
const Limit = Type.Optional(IntegerParam('Top actors (and, account-wide, top projects) to list: an integer 1-50 (default 10); out of range is a 400 MISSING_FIELDS, not clamped'));

export const BotTrafficQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
  period: Period,
  limit: Limit,
});

export const AccountBotTrafficQuery = Type.Object({ period: Period, limit: Limit });

const Delta = (description: string) => Type.Object({
  current: Int(),
  previous: Int(),
  change: Int({ description: 'current − previous' }),
  change_pct: Type.Union([Int(), Type.Null()], { description: 'Integer percent change; null when previous is 0 and current > 0, 0 when both are 0' }),
}, { description });

const PeriodObject = Type.Object({
  label: Str({ examples: ['7d'] }),
  from: Str({ description: 'YYYY-MM-DD (UTC), first day of the current period' }),
  to: Str({ description: 'YYYY-MM-DD (UTC), today' }),
  previous_from: Str({ description: 'YYYY-MM-DD (UTC)' }),
  previous_to: Str({ description: 'YYYY-MM-DD (UTC), the day before `from`' }),
});

const Summary = {
  automated_requests: Delta('Bot-filtered ingestion requests (one per POST, whatever the batch size), current vs previous period'),
  dropped_events: Delta('Events those requests carried (a batch counts its events; /identify counts 0)'),
  last_seen_at: Type.Union([LastSeen('bot request in the current period'), Type.Null()], { description: 'null when no bot request in the current period' }),
};

const Category = Type.Object({
  category: Str({ description: 'ai_agent | search_crawler | social_preview | seo_research | headless_browser | monitoring_perf | generic_bot' }),
  requests: Int(),
  dropped_events: Int(),
  share_pct: Type.Number({ description: 'Percent (0-100, one decimal) of the period\'s bot requests' }),
});

const Actor = Type.Object({
  actor: Str({ description: 'Named bot, e.g. Googlebot, GPTBot; "Unknown" for unnamed generic bots' }),
  category: Str(),
  requests: Int(),
  dropped_events: Int(),
  last_seen_at: LastSeen('request of this actor in the period'),
});

const Shared = {
  period: PeriodObject,
  categories: Type.Array(Category, { description: 'Categories with requests in the current period, most requests first' }),
  actors: Type.Array(Actor, { description: 'Top `limit` actors of the current period by requests (ties: dropped_events, then actor name)' }),
  time_series: Type.Array(Type.Object({ date: Str({ description: 'YYYY-MM-DD (UTC)' }), requests: Int(), dropped_events: Int() }), { description: 'Every day of the current period, zero-filled, oldest first' }),
};

export const BotTrafficResponse = Type.Object({
  scope: Type.Literal('project'),
  period: Shared.period,
  summary: Type.Object(Summary),
  categories: Shared.categories,
  actors: Shared.actors,
  time_series: Shared.time_series,
});

export const AccountBotTrafficResponse = Type.Object({
  scope: Type.Literal('account'),
  period: Shared.period,
  summary: Type.Object({
    ...Summary,
    active_projects: Int({ description: 'Projects with at least one bot request in the current period' }),
    total_projects: Int({ description: 'Projects of the account (deleted ones excluded)' }),
  }),
  categories: Shared.categories,
  actors: Shared.actors,
  time_series: Shared.time_series,
  projects: Type.Array(Type.Object({
    id: Str(),
    name: Str(),
    requests: Int(),
    dropped_events: Int(),
    share_pct: Type.Number({ description: 'Percent (0-100, one decimal) of the account\'s bot requests in the period' }),
    last_seen_at: Type.Union([LastSeen('bot request of this project in the period'), Type.Null()]),
  }), { description: 'Top `limit` projects by bot requests in the current period; ties by name' }),
  remaining_projects: Int({ description: 'Projects not listed (total_projects − projects.length)' }),
});
