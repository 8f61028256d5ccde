// `journey` (GET /journey): one user's events in time order, with the session and page of each.
import type { Journey } from '../../client/api-types.js';
import { type Command, defined, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { num, table, time } from '../output.js';
import { answer } from './report.js';


const USAGE = `agent-analytics journey --project <name> --user <user_id> [--since 30d] [--limit 100]

Events oldest first (default window: the last 30 days, up to 100 events). An anonymous id that was identified
(POST /identify) shows the identified user's journey. --user-id is accepted for --user. This server stores no
email addresses, so --email is answered with EMAIL_LOOKUP_UNSUPPORTED.`;

const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

/** A property value as one short cell. */
const cell = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function renderJourney(r: Journey): string {
  const p = r.profiles[0];
  const span = `${r.period.from} to ${r.period.to}`;
  if (!p) return `No events of user ${r.user_id} in ${r.project} from ${span}. Check the id (list_sessions or \`agent-analytics sessions --user <id>\`) or widen --since.`;
  const lines = [
    `Journey of ${p.user_id} in ${r.project}, ${span}: ${plural(p.event_count, 'event')} in ${plural(p.session_count, 'session')} (first ${p.first_seen}, last ${p.last_seen})`,
  ];
  if (p.user_id !== r.user_id) lines.push(`(${r.user_id} was identified as ${p.user_id})`);
  lines.push('', table(['TIME (UTC)', 'EVENT', 'SESSION', 'PAGE', 'PROPERTIES'], r.events.map((e) => {
    const { path, url, ...rest } = e.properties ?? {};
    const extra = Object.entries(rest).map(([k, v]) => `${k}=${cell(v)}`).join(' ');
    return [time(e.timestamp), e.event, e.session_id, (path ?? url ?? null) as string | null, extra.length > 70 ? `${extra.slice(0, 69)}…` : extra || null];
  })));
  if (r.truncated) lines.push('', `Showing the first ${plural(r.count, 'event')} of ${num(p.event_count)}: pass a larger --limit (up to 1000) or a later --since to read on.`);
  return lines.join('\n');
}

export const journeyCommand: Command = {
  name: 'journey',
  summary: "One user's events in time order (their journey across sessions)",
  usage: USAGE,
  options: { ...PROJECT_OPTION, user: { type: 'string' }, 'user-id': { type: 'string' }, email: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const project = projectOf(v);
    const user = opt.str(v, 'user') ?? opt.str(v, 'user-id');
    const email = opt.str(v, 'email');
    if (!user && !email) throw new UsageError('--user is required: the user_id whose journey to show (an anonymous id works too)');
    const fields = defined({ project, user_id: user, since: opt.str(v, 'since'), limit: opt.int(v, 'limit') });
    // The POST form carries the lookup in the body (the server answers an email lookup with its 400).
    const res = email !== undefined
      ? await ctx.client().request<Journey>('POST', '/journey', { body: { ...fields, email } })
      : await ctx.client().request<Journey>('GET', '/journey', { query: fields });
    return answer(ctx, res, renderJourney);
  },
};
