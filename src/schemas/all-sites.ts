// GET /account/all-sites (Appendix A): the query parameters and the response, for validation docs, the
// OpenAPI document, the CLI and the MCP tool. Documentation only on the way out (plain JSON serializer).
import { Type } from 'typebox';
import { IntegerParam } from './analytics.js';

const Int = Type.Integer;
const Str = Type.String;

export const AllSitesQuery = Type.Object({
  period: Type.Optional(Str({ description: 'Comparison window: 1d | 7d (default) | 14d | 30d | 90d — the current N UTC days ending today vs the N days before', examples: ['30d'] })),
  limit: Type.Optional(IntegerParam('How many top projects to list: an integer 1-50 (default 10); out of range is a 400 MISSING_FIELDS, not clamped')),
});

const Delta = Type.Object({
  current: Int(),
  previous: Int(),
  change: Int({ description: 'current − previous' }),
  change_pct: Type.Union([Int(), Type.Null()], { description: 'Integer percent change; null when previous is 0 and current > 0, 0 when both are 0' }),
});

export const AllSitesProject = Type.Object({
  id: Str(),
  name: Str(),
  events: Int({ description: 'Events in the current period' }),
  share_pct: Type.Number({ description: 'Percent (0-100, one decimal) of the account\'s events in the current period' }),
  last_active_date: Type.Union([Str({ description: 'YYYY-MM-DD (UTC)' }), Type.Null()], { description: 'Last UTC date with an event (up to today, within the account\'s retention); null when none' }),
  previous_events: Int({ description: 'Beyond Appendix A: events of this project in the previous period' }),
  change_pct: Type.Union([Int(), Type.Null()], { description: 'Beyond Appendix A: integer percent change of events vs the previous period, as summary.total_events.change_pct (null when previous is 0 and current > 0)' }),
  daily_events: Type.Array(Int(), { description: 'Beyond Appendix A: this project\'s events on each day of the current period, aligned with time_series (oldest first, zero-filled)' }),
});

export const AllSitesResponse = Type.Object({
  scope: Type.Literal('account'),
  period: Type.Object({
    label: Str({ examples: ['7d'] }),
    from: Str({ description: 'YYYY-MM-DD (UTC), first day of the current period' }),
    to: Str({ description: 'YYYY-MM-DD (UTC), today' }),
    previous_from: Str({ description: 'YYYY-MM-DD (UTC)' }),
    previous_to: Str({ description: 'YYYY-MM-DD (UTC), the day before `from`' }),
  }),
  summary: Type.Object({
    total_projects: Int({ description: 'Projects of the account (deleted ones excluded)' }),
    active_projects: Int({ description: 'Projects with at least one event in the current period' }),
    total_events: Delta,
  }),
  time_series: Type.Array(Type.Object({ date: Str({ description: 'YYYY-MM-DD (UTC)' }), events: Int() }), { description: 'Every day of the current period, zero-filled, oldest first' }),
  projects: Type.Array(AllSitesProject, { description: 'Top projects by events in the current period; ties by name' }),
  remaining_projects: Int({ description: 'Projects not listed (total_projects − projects.length)' }),
});
