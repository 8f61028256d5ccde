// `events` (E4): the raw event log, newest first (e.g. every event of one session).
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { compactJson, table, time } from '../output.js';
import { answer } from './report.js';

export const eventsCommand: Command = {
  name: 'events',
  summary: 'Raw events, newest first; filter by event name, session or user',
  usage: 'agent-analytics events --project <name> [--event <name>] [--session <session_id>] [--user <user_id>] [--since 7d] [--limit 100]',
  options: { ...PROJECT_OPTION, event: { type: 'string' }, session: { type: 'string' }, user: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().events({
      project: projectOf(v), event: opt.str(v, 'event'), session_id: opt.str(v, 'session'), user_id: opt.str(v, 'user'),
      since: opt.str(v, 'since'), limit: opt.int(v, 'limit'),
    });
    return answer(ctx, res, (r) => `${table(['TIME (UTC)', 'EVENT', 'USER', 'SESSION', 'PROPERTIES'],
      r.events.map((e) => [time(e.timestamp), e.event, e.user_id, e.session_id, compactJson(e.properties).slice(0, 80)]), '(no events match; events appear within a second of a 202 from /track)')}\n\n${r.events.length} event(s)`);
  },
};
