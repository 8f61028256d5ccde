// `breakdown` (E10): top values of one property (e.g. signups by country).
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { num, pct, table } from '../output.js';
import { FILTER_OPTION, FILTER_USAGE, filtersParam } from './query.js';
import { answer } from './report.js';

export const breakdownCommand: Command = {
  name: 'breakdown',
  summary: 'Top values of a property, e.g. signups by country or page views by referrer',
  usage: `agent-analytics breakdown --project <name> --property <key|country> [--event <name>] [--since 7d] [--limit 20] ${FILTER_USAGE}`,
  options: { ...PROJECT_OPTION, ...FILTER_OPTION, property: { type: 'string' }, event: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().breakdown({
      project: projectOf(v), property: opt.required(v, 'property', 'e.g. country, referrer, path, utm_source'), event: opt.str(v, 'event'),
      since: opt.str(v, 'since'), limit: opt.int(v, 'limit'), filters: filtersParam(v),
    });
    return answer(ctx, res, (r) => `${r.property}${r.event ? ` of ${r.event}` : ''}: ${num(r.total_with_property)} of ${num(r.total_events)} events carry it\n\n${table([r.property.toUpperCase(), 'COUNT', 'USERS', 'SHARE'],
      r.values.map((x) => [x.value, x.count, x.unique_users, pct(r.total_with_property ? x.count / r.total_with_property : 0)]), '(no values in this window)')}`);
  },
};
