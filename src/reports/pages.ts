// E12 GET /pages: sessions by entry and/or exit page, only the requested list(s).
import type { PagesResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { parseLimit } from '../query/parse/limit.js';
import { parseChoice } from '../query/parse/params.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { filtersParam } from './query.js';
import { sinceWindow } from './window.js';

export const PAGE_TYPES = ['entry', 'exit', 'both'] as const;

export type PageRow = NonNullable<ReportBody<typeof PagesResponse>['entry_pages']>[number];

export async function pagesReport(ctx: ReadContext, input: { projectId: string; project: string; type: unknown; since: unknown; limit: unknown; filters?: unknown }): Promise<ReportBody<typeof PagesResponse>> {
  const type = parseChoice(input.type, 'type', PAGE_TYPES, 'entry');
  const { from } = sinceWindow(ctx, input.since);
  const limit = parseLimit(input.limit, 20);
  // Event filters keep the sessions that hold a matching event (compiled as a semi-join, query/sql/compile.ts).
  const filters = await filtersParam(ctx, input.projectId, input.filters, from);
  const list = async (which: 'entry' | 'exit'): Promise<PageRow[]> => {
    const rows = await runAggregate(ctx, {
      scope: 'sessions', projectId: input.projectId, window: { from },
      filters: [{ op: 'set', field: `session.${which}_page`, value: null }, ...filters], dimensions: [`${which}_page`],
      metrics: ['sessions', 'bounces', 'bounce_rate', 'avg_duration', 'avg_events'], countMode: 'raw',
      order: [{ key: 'sessions', dir: 'desc' }], limit,
    });
    return rows.map((r) => ({
      page: String(r[`${which}_page`]), sessions: Number(r.sessions), bounces: Number(r.bounces),
      bounce_rate: Number(r.bounce_rate), avg_duration: Number(r.avg_duration), avg_events: Number(r.avg_events),
    }));
  };
  const out: { project: string; entry_pages?: PageRow[]; exit_pages?: PageRow[] } = { project: input.project };
  const [entry, exit] = await Promise.all([type !== 'exit' ? list('entry') : null, type !== 'entry' ? list('exit') : null]);
  if (entry) out.entry_pages = entry;
  if (exit) out.exit_pages = exit;
  return out;
}
