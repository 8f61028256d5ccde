// `stats` (E3): totals, time series, top events and session summary for a window.
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { duration, num, pct, table } from '../output.js';
import { FILTER_OPTION, FILTER_USAGE, filtersParam } from './query.js';
import { answer } from './report.js';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Traffic overview: users, events, sessions, bounce rate, time series, top events',
  usage: `agent-analytics stats --project <name> [--since 7d|YYYY-MM-DD] [--group-by hour|day|week|month] ${FILTER_USAGE}`,
  options: { ...PROJECT_OPTION, ...FILTER_OPTION, since: { type: 'string' }, 'group-by': { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().stats({ project: projectOf(v), since: opt.str(v, 'since'), groupBy: opt.str(v, 'group-by'), filters: filtersParam(v) });
    return answer(ctx, res, (s) => [
      `${s.project}: ${s.period.from} → ${s.period.to}`,
      `${num(s.totals.total_events)} events, ${num(s.totals.unique_users)} unique users, ${num(s.sessions.total_sessions)} sessions`,
      `bounce rate ${pct(s.sessions.bounce_rate)}, avg session ${duration(s.sessions.avg_duration)}, ${s.sessions.pages_per_session} events/session, ${s.sessions.sessions_per_user} sessions/user`,
      '',
      table([s.period.groupBy.toUpperCase(), 'EVENTS', 'USERS'], s.timeSeries.map((b) => [b.bucket, b.total_events, b.unique_users]), '(no events in this window)'),
      '',
      table(['TOP EVENT', 'COUNT', 'USERS'], s.events.map((e) => [e.event, e.count, e.unique_users]), ''),
    ].join('\n').trimEnd());
  },
};
