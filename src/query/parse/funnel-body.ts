// POST /funnel (§E14): the untrusted body becomes a funnel spec, or the contract's 400.
import { badRequest } from '../../errors.js';
import { parseSince } from './since.js';
import type { Filter } from '../types.js';
import { parseChoice, parsePropertyKey } from './params.js';

export interface ParsedFunnel {
  steps: { event: string; filters: Filter[] }[];
  windowHours: number;
  /** First UTC date of the lookback (before the retention clamp). */
  since: string;
  countBy: 'user_id' | 'session_id';
  breakdown: string | null;
  breakdownLimit: number;
}

export const STEP_OPS = ['eq', 'neq', 'contains'] as const;
export const COUNT_BY = ['user_id', 'session_id'] as const;
/** [min, max] of the bounded body fields (§E14); out of range is a 400, never clamped. */
export const FUNNEL_BOUNDS = { steps: [2, 8], conversion_window_hours: [1, 8760], breakdown_limit: [1, 50] } as const;
/** The lookback when `since` is absent or unparseable (§E14). */
export const FUNNEL_DEFAULT_SINCE_DAYS = 30;
const B = FUNNEL_BOUNDS;

function stepsError(message: string): Error {
  return badRequest('INVALID_FUNNEL_STEPS', `${message}; send 2-8 steps like [{"event":"page_view"},{"event":"signup"}]`);
}

function parseStepFilters(value: unknown, step: number): Filter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw stepsError(`steps[${step}].filters must be an array`);
  return value.map((raw, i) => {
    const f = raw as Record<string, unknown> | null;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) throw stepsError(`steps[${step}].filters[${i}] must be an object {property, op, value}`);
    const key = parsePropertyKey(f.property, `steps[${step}].filters[${i}].property`);
    if (!STEP_OPS.includes(f.op as (typeof STEP_OPS)[number])) {
      throw badRequest('INVALID_FILTER_OP', `steps[${step}].filters[${i}].op must be one of: ${STEP_OPS.join(', ')} (got ${JSON.stringify(f.op)})`);
    }
    const v = f.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw stepsError(`steps[${step}].filters[${i}].value must be a string`);
    // Compared as a string (§E14); `country` targets the country column.
    return { op: f.op as Filter['op'], field: key === 'country' ? 'country' : `properties.${key}`, value: String(v) };
  });
}

export function parseFunnelBody(body: Record<string, unknown>, now: number): ParsedFunnel {
  const raw = body.steps;
  if (!Array.isArray(raw) || raw.length < B.steps[0] || raw.length > B.steps[1]) throw stepsError(`steps must be an array of ${B.steps[0]} to ${B.steps[1]} steps`);
  const steps = raw.map((s, i) => {
    const step = s as Record<string, unknown> | null;
    if (step === null || typeof step !== 'object' || Array.isArray(step)) throw stepsError(`steps[${i}] must be an object with an event`);
    if (typeof step.event !== 'string' || step.event === '' || step.event.length > 256) throw stepsError(`steps[${i}].event must be a non-empty event name of at most 256 characters`);
    return { event: step.event, filters: parseStepFilters(step.filters, i) };
  });

  const hours = body.conversion_window_hours ?? 168;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < B.conversion_window_hours[0] || hours > B.conversion_window_hours[1]) {
    throw badRequest('MISSING_FIELDS', `conversion_window_hours must be a number from ${B.conversion_window_hours[0]} to ${B.conversion_window_hours[1]} (got ${JSON.stringify(body.conversion_window_hours)})`);
  }
  const countBy = parseChoice(body.count_by ?? undefined, 'count_by', COUNT_BY, 'user_id');
  const breakdown = body.breakdown === undefined || body.breakdown === null ? null : parsePropertyKey(body.breakdown, 'breakdown');
  const limit = body.breakdown_limit ?? 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < B.breakdown_limit[0] || limit > B.breakdown_limit[1]) {
    throw badRequest('MISSING_FIELDS', `breakdown_limit must be an integer from ${B.breakdown_limit[0]} to ${B.breakdown_limit[1]} (got ${JSON.stringify(body.breakdown_limit)})`);
  }
  // The lookback defaults to 30 days, also when the value cannot be parsed.
  const since = parseSince(body.since, now, FUNNEL_DEFAULT_SINCE_DAYS).date;
  return { steps, windowHours: hours, since, countBy, breakdown, breakdownLimit: limit };
}
