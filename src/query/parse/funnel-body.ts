// POST /funnel (§E14): the body the route's schema accepted (src/schemas/analytics.ts FunnelBody, which answers
// every malformed field with the contract's code) becomes a funnel spec: defaults filled, filters resolved.
import { parseSince } from './since.js';
import type { Filter } from '../types.js';

/** The accepted body, as the schema's static type (the route's `Static<typeof FunnelBody>` is assignable to it). */
export interface FunnelInput {
  steps: { event: string; filters?: { property: string; op: 'eq' | 'neq' | 'contains'; value: string | number | boolean }[] }[];
  conversion_window_hours?: number;
  since?: string;
  count_by?: 'user_id' | 'session_id';
  breakdown?: string;
  breakdown_limit?: number;
}

export interface ParsedFunnel {
  steps: { event: string; filters: Filter[] }[];
  windowHours: number;
  /** First UTC date of the lookback (before the retention clamp). */
  since: string;
  countBy: 'user_id' | 'session_id';
  breakdown: string | null;
  breakdownLimit: number;
}

/** The lookback when `since` is absent or unparseable (§E14). */
export const FUNNEL_DEFAULT_SINCE_DAYS = 30;

/** `input` is a body the route's FunnelBody schema accepted (the report's other callers are tests and benches). */
export function parseFunnelBody(input: Record<string, unknown>, now: number): ParsedFunnel {
  const body = input as unknown as FunnelInput;
  const steps = body.steps.map((step) => ({
    event: step.event,
    // Compared as a string (§E14); `country` targets the country column.
    filters: (step.filters ?? []).map((f): Filter => ({ op: f.op, field: f.property === 'country' ? 'country' : `properties.${f.property}`, value: String(f.value) })),
  }));
  return {
    steps,
    windowHours: body.conversion_window_hours ?? 168,
    // The lookback defaults to 30 days, also when the value cannot be parsed.
    since: parseSince(body.since, now, FUNNEL_DEFAULT_SINCE_DAYS).date,
    countBy: body.count_by ?? 'user_id',
    breakdown: body.breakdown ?? null,
    breakdownLimit: body.breakdown_limit ?? 10,
  };
}
