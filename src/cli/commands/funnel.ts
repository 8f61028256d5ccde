// `funnel` (E14): what share of users moves through ordered steps, and where they drop off.
import type { FunnelInput, FunnelStepResult } from '../../client/api-types.js';
import { type Command, defined, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { duration, pct, table } from '../output.js';
import { answer } from './report.js';

const stepTable = (steps: FunnelStepResult[]) => table(['STEP', 'EVENT', 'USERS', 'CONVERSION', 'DROP-OFF', 'TIME TO NEXT'],
  steps.map((s) => [s.step, s.event, s.users, pct(s.conversion_rate), pct(s.drop_off_rate), duration(s.avg_time_to_next_ms)]));

export const funnelCommand: Command = {
  name: 'funnel',
  summary: 'Ordered funnel: users per step, step conversion and overall conversion',
  usage: `agent-analytics funnel --project <name> --steps page_view,signup_start,signup_complete [--window-hours 168] [--since 30d]
    [--count-by user_id|session_id] [--breakdown <property>] [--breakdown-limit 10] [--body '<JSON body, e.g. steps with filters>']`,
  options: {
    ...PROJECT_OPTION, steps: { type: 'string' }, 'window-hours': { type: 'string' }, since: { type: 'string' }, 'count-by': { type: 'string' },
    breakdown: { type: 'string' }, 'breakdown-limit': { type: 'string' }, body: { type: 'string' },
  },
  async run(ctx, _p, v) {
    const extra = (opt.json(v, 'body') ?? {}) as Record<string, unknown>;
    const steps = opt.list(v, 'steps')?.map((event) => ({ event })) ?? (extra.steps as { event: string }[] | undefined);
    if (!steps) throw new UsageError('--steps is required: comma-separated event names in order, e.g. --steps page_view,checkout_start,purchase');
    const res = await ctx.client().funnel({
      ...extra,
      ...defined({
        project: projectOf(v), conversion_window_hours: opt.num(v, 'window-hours'), since: opt.str(v, 'since'),
        count_by: opt.str(v, 'count-by') as FunnelInput['count_by'], // any other value: the server's 400 breakdown: opt.str(v, 'breakdown'), breakdown_limit: opt.int(v, 'breakdown-limit'),
      }),
      steps,
    });
    return answer(ctx, res, (r) => {
      const worst = r.steps.slice(1).reduce<FunnelStepResult | null>((w, s) => (!w || s.drop_off_rate > w.drop_off_rate ? s : w), null);
      const parts = [stepTable(r.steps), '', `overall conversion ${pct(r.overall_conversion_rate)}${worst && worst.drop_off_rate > 0 ? `; biggest drop-off before step ${worst.step} (${worst.event}): ${pct(worst.drop_off_rate)}` : ''}`];
      for (const b of r.breakdowns ?? []) parts.push('', `${b.value ?? '(none)'}: overall ${pct(b.overall_conversion_rate)}`, stepTable(b.steps));
      return parts.join('\n');
    });
  },
};
