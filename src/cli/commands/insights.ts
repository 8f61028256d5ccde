// `insights` (E11): this period versus the one before (e.g. the bounce-rate trend vs last month).
import type { DeltaMetric } from '../../client/api-types.js';
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { change, duration, num, pct, table } from '../output.js';
import { answer } from './report.js';

const FORMAT: Record<string, (n: number) => string> = { bounce_rate: pct, avg_duration: duration };

export const insightsCommand: Command = {
  name: 'insights',
  summary: 'Period-over-period comparison of events, users, sessions, bounce rate and duration',
  usage: 'agent-analytics insights --project <name> [--period 1d|7d|14d|30d|90d]',
  options: { ...PROJECT_OPTION, period: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().insights({ project: projectOf(v), period: opt.str(v, 'period') });
    return answer(ctx, res, (r) => {
      const rows = (Object.entries(r.metrics) as [string, DeltaMetric][]).map(([k, m]) => {
        const f = FORMAT[k] ?? num;
        return [k, f(m.current), f(m.previous), change(m.change_pct)];
      });
      return `${r.project}: ${r.current_period.from} → ${r.current_period.to} vs ${r.previous_period.from} → ${r.previous_period.to} — trend ${r.trend}\n\n${table(['METRIC', 'CURRENT', 'PREVIOUS', 'CHANGE'], rows)}`;
    });
  },
};
