// `live` (E17): who is on the site right now.
import { type Command, opt } from '../command.js';
import { compactJson, table, time } from '../output.js';
import { answer } from './report.js';

export const liveCommand: Command = {
  name: 'live',
  summary: 'Real-time snapshot: active visitors and sessions, events per minute, top pages',
  usage: 'agent-analytics live [--project <name>] [--window 60]',
  options: { project: { type: 'string', short: 'p' }, window: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().live({ project: opt.str(v, 'project'), window: opt.int(v, 'window') });
    return answer(ctx, res, (r) => [
      `${r.project}: ${r.active_visitors} visitor(s), ${r.active_sessions} session(s), ${r.events_per_minute} events/min in the last ${r.window_seconds} s`,
      '',
      table(['PAGE', 'VISITORS'], r.top_pages.map((p) => [p.path, p.visitors]), ''),
      '',
      table(['EVENT', 'COUNT'], r.top_events.map((e) => [e.event, e.count]), ''),
      '',
      table(['TIME (UTC)', 'EVENT', 'USER', 'PROPERTIES'], r.recent_events.map((e) => [time(e.timestamp), e.event, e.user_id, compactJson(e.properties).slice(0, 60)]), ''),
    ].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd());
  },
};
