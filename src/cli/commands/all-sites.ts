// `all-sites` (GET /account/all-sites): every project of the account side by side, this period vs the one before.
import type { AllSites } from '../../client/api-types.js';
import { type Command, opt } from '../command.js';
import { change, num, table } from '../output.js';
import { answer } from './report.js';

export type { AllSites };

export function renderAllSites(r: AllSites): string {
  const p = r.period;
  const t = r.summary.total_events;
  const head = [
    `all sites: ${p.from} → ${p.to} vs ${p.previous_from} → ${p.previous_to} (${p.label})`,
    `events ${num(t.current)} vs ${num(t.previous)} (${change(t.change_pct)}), ${r.summary.active_projects} of ${r.summary.total_projects} projects active`,
  ].join('\n');
  const rows = r.projects.map((x) => [x.name, num(x.events), `${x.share_pct.toFixed(1)}%`, x.last_active_date ?? '-']);
  const more = r.remaining_projects > 0 ? `\n… and ${r.remaining_projects} more project${r.remaining_projects === 1 ? '' : 's'} (raise --limit, up to 50)` : '';
  const series = r.time_series.map((d) => `${d.date}  ${num(d.events)}`).join('\n');
  return `${head}\n\n${table(['PROJECT', 'EVENTS', 'SHARE', 'LAST ACTIVE'], rows, '(no projects)')}${more}\n\nDAILY EVENTS\n${series}`;
}

export const allSitesCommand: Command = {
  name: 'all-sites',
  summary: 'Every project of the account: events this period vs the previous one, daily totals, top projects',
  usage: 'agent-analytics all-sites [--period 1d|7d|14d|30d|90d] [--limit 1-50]',
  options: { period: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().request<AllSites>('GET', '/account/all-sites', { query: { period: opt.str(v, 'period'), limit: opt.str(v, 'limit') } });
    return answer(ctx, res, renderAllSites);
  },
};
