// `query` (E5): the flexible aggregate query; rows are keyed by the echoed group_by fields and metrics.
import type { QueryInput } from '../../client/api-types.js';
import { type Command, defined, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { table } from '../output.js';
import { answer } from './report.js';

const OPS = ['eq', 'neq', 'gt', 'lt', 'gte', 'lte', 'contains'];

/** "field op value" → filter; numbers and booleans keep their JSON type. */
function parseFilter(text: string) {
  const m = /^\s*(\S+)\s+(\S+)\s+(.*)$/.exec(text);
  if (!m || !OPS.includes(m[2]!)) throw new UsageError(`--filter "${text}" must be "<field> <op> <value>" with op one of ${OPS.join(', ')}, e.g. --filter "properties.path contains /blog"`);
  const raw = m[3]!;
  let value: string | number | boolean = raw;
  if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  return { field: m[1]!, op: m[2]!, value };
}

/** `--filter` (repeatable), shared by query, stats, breakdown and pages. */
export const FILTER_OPTION = { filter: { type: 'string', multiple: true } } as const;
export const FILTER_USAGE = '[--filter "<field> <op> <value>"]...';

/** The --filter options as parsed filters (undefined when none). */
const filtersOf = (v: Record<string, unknown>) => (v.filter as string[] | undefined)?.map(parseFilter);

/** The --filter options as the `filters` query parameter of /stats, /breakdown and /pages (JSON), or undefined. */
export function filtersParam(v: Record<string, unknown>): string | undefined {
  const f = filtersOf(v);
  return f?.length ? JSON.stringify(f) : undefined;
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'Flexible aggregate query: metrics grouped by event, date, user, session or country',
  usage: `agent-analytics query --project <name> [--metrics event_count,unique_users] [--group-by date,event]
    ${FILTER_USAGE} [--from 14d] [--to YYYY-MM-DD] [--count-mode raw|session_then_user]
    [--order-by <metric>] [--order asc|desc] [--limit 100] [--body '<JSON body merged in>']`,
  options: {
    ...PROJECT_OPTION, ...FILTER_OPTION, metrics: { type: 'string' }, 'group-by': { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, 'count-mode': { type: 'string' }, 'order-by': { type: 'string' }, order: { type: 'string' },
    limit: { type: 'string' }, body: { type: 'string' },
  },
  async run(ctx, _p, v) {
    const extra = (opt.json(v, 'body') ?? {}) as Record<string, unknown>;
    const filters = filtersOf(v);
    const res = await ctx.client().query({
      ...extra,
      ...defined({
        project: projectOf(v), metrics: opt.list(v, 'metrics'), group_by: opt.list(v, 'group-by'), filters,
        date_from: opt.str(v, 'from'), date_to: opt.str(v, 'to'), count_mode: opt.str(v, 'count-mode') as QueryInput['count_mode'], order_by: opt.str(v, 'order-by'),
        order: opt.str(v, 'order'), limit: opt.int(v, 'limit'),
      }),
    });
    return answer(ctx, res, (r) => {
      const cols = [...r.group_by, ...r.metrics];
      return `${r.project}: ${r.period.from} → ${r.period.to}\n\n${table(cols.map((c) => c.toUpperCase()), r.rows.map((row) => cols.map((c) => row[c] as string | number | null)))}\n\n${r.count} row(s)`;
    });
  },
};
