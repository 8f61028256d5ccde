// E10 GET /breakdown: the top values of one property (the `country` key reads the country column).
import type { BreakdownResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { parseLimit } from '../query/parse/limit.js';
import { optionalText, parsePropertyKey } from '../query/parse/params.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import type { AggregateQuery, Filter } from '../query/types.js';
import { filtersParam } from './query.js';
import { sinceWindow } from './window.js';

export async function breakdownReport(ctx: ReadContext, input: { projectId: string; project: string; property: unknown; event: unknown; since: unknown; limit: unknown; filters?: unknown }): Promise<ReportBody<typeof BreakdownResponse>> {
  const property = parsePropertyKey(input.property);
  const event = optionalText(input.event) ?? null;
  const { from } = sinceWindow(ctx, input.since);
  const dimension = `property:${property}`;
  const field = property === 'country' ? 'country' : `properties.${property}`;
  const eventFilter: Filter[] = [...(event === null ? [] : [{ op: 'eq' as const, field: 'event', value: event }]), ...(await filtersParam(ctx, input.projectId, input.filters, from))];
  const base = { scope: 'events' as const, projectId: input.projectId, window: { from }, countMode: 'raw' as const };
  const valuesQ: AggregateQuery = {
    ...base, filters: [...eventFilter, { op: 'set', field, value: null }], dimensions: [dimension],
    metrics: ['event_count', 'unique_users'], order: [{ key: 'event_count', dir: 'desc' }], limit: parseLimit(input.limit, 20),
  };
  const totalsQ: AggregateQuery = { ...base, filters: eventFilter, dimensions: [], metrics: ['event_count', `with:${property}`], order: [], limit: null };
  const [values, [totals]] = await Promise.all([runAggregate(ctx, valuesQ), runAggregate(ctx, totalsQ)]);
  return {
    project: input.project,
    property,
    event,
    values: values.map((r) => ({ value: String(r[dimension]), count: Number(r.event_count), unique_users: Number(r.unique_users) })),
    total_events: Number(totals.event_count),
    total_with_property: Number(totals[`with:${property}`]),
  };
}
