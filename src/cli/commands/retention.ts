// `retention` (E15): do users come back after their first visit, by cohort.
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { pct, table } from '../output.js';
import { answer } from './report.js';

export const retentionCommand: Command = {
  name: 'retention',
  summary: 'Cohort retention: share of users returning 1, 2, … periods after their first visit',
  usage: 'agent-analytics retention --project <name> [--period day|week|month] [--cohorts 8] [--event <first event>] [--returning-event <name>]',
  options: { ...PROJECT_OPTION, period: { type: 'string' }, cohorts: { type: 'string' }, event: { type: 'string' }, 'returning-event': { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().retention({
      project: projectOf(v), period: opt.str(v, 'period'), cohorts: opt.int(v, 'cohorts'), event: opt.str(v, 'event'), returning_event: opt.str(v, 'returning-event'),
    });
    return answer(ctx, res, (r) => {
      const width = r.average_rates.length;
      const offsets = Array.from({ length: width }, (_, i) => `${r.period.toUpperCase()} ${i}`);
      const rows = r.cohorts.map((c) => [c.date, c.users, ...offsets.map((_, i) => (i < c.rates.length ? pct(c.rates[i]) : ''))]);
      rows.push(['average', r.users_analyzed, ...r.average_rates.map(pct)]);
      return r.cohorts.length === 0
        ? 'No users with a user_id in this range.'
        : `${table(['COHORT', 'USERS', ...offsets], rows)}\n\n${width > 1 ? `${pct(r.average_rates[1])} come back in the ${r.period} after their first visit` : 'Too early to see returns: add cohorts or wait a period.'}`;
    });
  },
};
