// `pages` (E12): landing (entry) and exit pages with bounce rate and time.
import type { PageRow } from '../../client/api-types.js';
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { duration, pct, table } from '../output.js';
import { FILTER_OPTION, FILTER_USAGE, filtersParam } from './query.js';
import { answer } from './report.js';

const pageTable = (title: string, rows: PageRow[]) => `${title}\n${table(['PAGE', 'SESSIONS', 'BOUNCES', 'BOUNCE RATE', 'AVG DURATION', 'AVG EVENTS'],
  rows.map((p) => [p.page, p.sessions, p.bounces, pct(p.bounce_rate), duration(p.avg_duration), p.avg_events]), '(no sessions in this window)')}`;

export const pagesCommand: Command = {
  name: 'pages',
  summary: 'Entry (landing) and exit pages with sessions, bounce rate and duration',
  usage: `agent-analytics pages --project <name> [--type entry|exit|both] [--since 7d] [--limit 20] ${FILTER_USAGE}`,
  options: { ...PROJECT_OPTION, ...FILTER_OPTION, type: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().pages({ project: projectOf(v), type: opt.str(v, 'type'), since: opt.str(v, 'since'), limit: opt.int(v, 'limit'), filters: filtersParam(v) });
    return answer(ctx, res, (r) => [r.entry_pages && pageTable('Entry pages', r.entry_pages), r.exit_pages && pageTable('Exit pages', r.exit_pages)].filter(Boolean).join('\n\n'));
  },
};
