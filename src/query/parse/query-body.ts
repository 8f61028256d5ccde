// POST /query (§E5): the body the route's schema accepted becomes a query description, or the contract's 400.
import { badRequest } from '../../errors.js';
import { parseLimit } from './limit.js';
import { PUBLIC_DIMENSIONS } from '../registry/dimensions.js';
import { fieldDef, PROPERTY_KEY, QUERY_FILTER_FIELDS } from '../registry/fields.js';
import { PUBLIC_METRICS } from '../registry/metrics.js';
import { parseEpochOrIso, parseIsoInstant, utcDay } from '../time.js';
import { parseSince } from './since.js';
import type { CountMode, Filter, FilterOp, FilterValue } from '../types.js';

export const FILTER_OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'lt', 'gte', 'lte', 'contains'];

export interface ParsedQueryBody {
  metrics: string[];
  groupBy: string[];
  filters: Filter[];
  from: string;
  to: string;
  countMode: CountMode;
  orderBy: unknown;
  order: unknown;
  limit: number;
}

/**
 * A filter field that is neither built in nor `properties.<key>`: the report answers it with the
 * guidance body (suggested_field + available_properties), which needs the store, so parsing only flags it.
 */
export class UnknownFilterField extends Error {
  constructor(readonly field: string) {
    super(`unknown filter field ${field}`);
  }
}

/** Names the registry declares (the route's schema checked that `value` is absent or an array of strings). */
function stringList(value: unknown, name: string, allowed: readonly string[], code: string, fallback: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) return fallback;
  for (const item of value as string[]) {
    if (!allowed.includes(item)) {
      const hint = name === 'group_by' && item.startsWith('properties.')
        ? ' (grouping by a property is not supported; use GET /breakdown?property=<key>)' : '';
      throw badRequest(code, `unknown ${name} value ${JSON.stringify(item)}; allowed: ${allowed.join(', ')}${hint}`);
    }
  }
  return [...new Set(value as string[])];
}

/** A `timestamp` filter value as epoch ms: a number, a digit string, or an ISO date-time. */
function timestampValue(v: FilterValue, i: number): number {
  const ms = parseEpochOrIso(v);
  if (ms === null) throw badRequest('INVALID_BODY', `filters[${i}].value for timestamp must be epoch milliseconds or an ISO date-time like 2026-03-01T10:00:00Z, got ${JSON.stringify(v)}`);
  return ms;
}

/** A `date` filter value as YYYY-MM-DD (date-times are reduced to their UTC date). */
function dateValue(v: FilterValue, i: number): string {
  const ms = typeof v === 'string' ? parseIsoInstant(v) : null;
  if (ms === null) throw badRequest('INVALID_BODY', `filters[${i}].value for date must be an ISO date like 2026-03-01, got ${JSON.stringify(v)}`);
  return utcDay(ms);
}

export function parseFilters(value: unknown): Filter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('INVALID_BODY', 'filters must be an array of {field, op, value} objects');
  return value.map((raw, i): Filter => {
    const f = raw as Record<string, unknown> | null;
    if (f === null || typeof f !== 'object' || Array.isArray(f) || typeof f.field !== 'string' || typeof f.op !== 'string' || f.value === undefined || f.value === null) {
      throw badRequest('INVALID_FILTER_FIELD', `filters[${i}] must be an object with the three keys field, op and value (value a string, number or boolean)`);
    }
    const field = f.field;
    if (field.startsWith('properties.')) {
      const key = field.slice('properties.'.length);
      if (!PROPERTY_KEY.test(key)) throw badRequest('INVALID_PROPERTY_KEY', `filters[${i}].field: property key ${JSON.stringify(key)} must be 1-128 letters, digits or underscores`);
    } else if (!(QUERY_FILTER_FIELDS as readonly string[]).includes(field)) {
      throw new UnknownFilterField(field);
    }
    if (!FILTER_OPS.includes(f.op as FilterOp)) {
      throw badRequest('INVALID_FILTER_OP', `filters[${i}].op ${JSON.stringify(f.op)} is not an operator; use one of: ${FILTER_OPS.join(', ')}`);
    }
    let v = f.value as FilterValue;
    if (typeof v === 'object') throw badRequest('INVALID_BODY', `filters[${i}].value must be a string, number or boolean`);
    if (field === 'timestamp') v = timestampValue(v, i);
    else if (field === 'date' && f.op !== 'contains') v = dateValue(v, i);
    if (!fieldDef(field)) throw new UnknownFilterField(field);
    return { op: f.op as FilterOp, field, value: v };
  });
}

/** `date_to`: an ISO date (date-times reduced to their UTC date) or Nd; anything else → today. */
function parseDateTo(value: unknown, now: number): string {
  if (typeof value === 'string') {
    const ms = parseIsoInstant(value);
    if (ms !== null) return utcDay(ms);
    const since = parseSince(value, now);
    if (since.parsed) return since.date;
  }
  return utcDay(now);
}

/**
 * A body the route's QueryBody schema accepted (types and closed choices, with the contract's codes): left here
 * are the registry's names (metrics, group_by), the filters (shared with the GET reads' `filters` parameter,
 * which no schema sees) and the forgiving defaults of the dates and limit.
 */
export function parseQueryBody(body: Record<string, unknown>, now: number): ParsedQueryBody {
  const metrics = stringList(body.metrics, 'metrics', PUBLIC_METRICS, 'INVALID_METRIC', ['event_count']);
  const groupBy = stringList(body.group_by, 'group_by', PUBLIC_DIMENSIONS, 'INVALID_GROUP_BY', []);
  const filters = parseFilters(body.filters);
  // The route's schema checked count_mode's value (INVALID_COUNT_MODE).
  const countMode = (body.count_mode ?? 'raw') as CountMode;
  return {
    metrics, groupBy, filters, countMode,
    from: parseSince(body.date_from, now).date,
    to: parseDateTo(body.date_to, now),
    orderBy: body.order_by,
    order: body.order,
    limit: parseLimit(body.limit, 100),
  };
}
