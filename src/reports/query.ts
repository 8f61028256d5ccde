// E5 POST /query: the query language itself — parse, plan, run, shape — plus the INVALID_FILTER_FIELD
// guidance body that shows the caller which events and property keys exist.
import type { QueryResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { ApiError } from '../errors.js';
import { parseFiltersParam } from '../query/parse/params.js';
import { parseQueryBody, UnknownFilterField } from '../query/parse/query-body.js';
import { queryOrder, readWindow } from '../query/plan.js';
import { PROPERTY_KEY, QUERY_FILTER_FIELDS } from '../query/registry/fields.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { utcDay } from '../query/time.js';
import type { Filter, ResultRow } from '../query/types.js';
import { eventSummaries, propertyKeys } from './properties.js';

export type QueryReport = ReportBody<typeof QueryResponse>;

export async function queryReport(ctx: ReadContext, input: { projectId: string; project: string; body: Record<string, unknown> }): Promise<QueryReport> {
  let parsed;
  try {
    parsed = parseQueryBody(input.body, ctx.now);
  } catch (err) {
    if (err instanceof UnknownFilterField) throw await unknownFieldError(ctx, input.projectId, askedWindow(input.body, ctx.now), err.field);
    throw err;
  }
  const window = readWindow(ctx, { from: parsed.from, to: parsed.to });
  const rows = await runAggregate(ctx, {
    scope: 'events', projectId: input.projectId, window, filters: parsed.filters,
    dimensions: parsed.groupBy, metrics: parsed.metrics, countMode: parsed.countMode,
    order: queryOrder(parsed.orderBy, parsed.order, parsed.groupBy, parsed.metrics), limit: parsed.limit,
  });
  // Keys exactly: each group_by field, then each metric.
  const shaped = rows.map((r) => Object.fromEntries([...parsed.groupBy, ...parsed.metrics].map((k) => [k, r[k]])));
  return { project: input.project, period: { from: window.from, to: parsed.to }, metrics: parsed.metrics, group_by: parsed.groupBy, rows: shaped, count: shaped.length };
}

/**
 * The `filters` query parameter of /stats, /breakdown and /pages: /query's filters (one parser), and on an
 * unknown field /query's guidance body for the report's window (`from` to today).
 */
export async function filtersParam(ctx: ReadContext, projectId: string, raw: unknown, from: string): Promise<Filter[]> {
  try {
    return parseFiltersParam(raw);
  } catch (err) {
    if (err instanceof UnknownFilterField) throw await unknownFieldError(ctx, projectId, { from, to: utcDay(ctx.now) }, err.field);
    throw err;
  }
}

function askedWindow(body: Record<string, unknown>, now: number): { from: string; to: string } {
  try {
    return parseQueryWindow(body, now);
  } catch {
    return parseQueryWindow({}, now);
  }
}

/** §E5 guidance: what was wrong, the likely property it meant, and what exists in the window. */
async function unknownFieldError(ctx: ReadContext, projectId: string, asked: { from: string; to: string }, field: string): Promise<ApiError> {
  const suggested = PROPERTY_KEY.test(field) ? `properties.${field}` : null;
  const { from, to } = readWindow(ctx, asked);
  const [events, property_keys] = await Promise.all([eventSummaries(ctx, projectId, from, to), propertyKeys(ctx, projectId, from, to)]);
  const example = suggested ? `, e.g. ${suggested}` : '';
  return new ApiError(400, 'INVALID_FILTER_FIELD',
    `unknown filter field '${field}' — use a built-in field (${QUERY_FILTER_FIELDS.join(', ')}) or properties.<key>${example}`,
    { suggested_field: suggested, available_properties: { events, property_keys } });
}

function parseQueryWindow(body: Record<string, unknown>, now: number): { from: string; to: string } {
  const { from, to } = parseQueryBody({ date_from: body.date_from, date_to: body.date_to }, now);
  return { from, to };
}
