// `sessions` (E8, E9): recent sessions, or with --distribution the session-length histogram.
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { duration, table, time } from '../output.js';
import { answer } from './report.js';

export const sessionsCommand: Command = {
  name: 'sessions',
  summary: 'Recent sessions (entry/exit page, duration, bounce) or --distribution of lengths',
  usage: 'agent-analytics sessions --project <name> [--since 7d] [--limit 100] [--user <user_id>] [--bounce 0|1] | --distribution',
  options: { ...PROJECT_OPTION, since: { type: 'string' }, limit: { type: 'string' }, user: { type: 'string' }, bounce: { type: 'string' }, distribution: { type: 'boolean' } },
  async run(ctx, _p, v) {
    const client = ctx.client();
    if (v.distribution === true) {
      const res = await client.sessionsDistribution({ project: projectOf(v), since: opt.str(v, 'since') });
      return answer(ctx, res, (r) => `${table(['LENGTH', 'SESSIONS', 'BOUNCES', 'AVG EVENTS', 'SHARE'], r.distribution.map((b) => [b.bucket, b.sessions, b.bounces, b.avg_events, `${b.pct}%`]), '(no sessions in this window)')}\n\nmedian ${r.median_bucket ?? '-'}, engaged (>= 30 s) ${r.engaged_pct}%`);
    }
    const res = await client.sessions({ project: projectOf(v), since: opt.str(v, 'since'), limit: opt.int(v, 'limit'), user_id: opt.str(v, 'user'), is_bounce: opt.str(v, 'bounce') });
    return answer(ctx, res, (r) => `${table(['START (UTC)', 'SESSION', 'USER', 'ENTRY', 'EXIT', 'EVENTS', 'DURATION', 'BOUNCE'],
      r.sessions.map((s) => [time(s.start_time), s.session_id, s.user_id, s.entry_page, s.exit_page, s.event_count, duration(s.duration), s.is_bounce ? 'yes' : 'no']), '(no sessions in this window)')}\n\n${r.sessions.length} session(s)`);
  },
};
