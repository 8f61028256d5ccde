// The one parser of comparison periods (`period` of /insights, /bot-traffic, /account/all-sites): N
// calendar days ending today (UTC) against the N days before, never overlapping.
import { addDays, utcDay } from '../time.js';
import { parseChoice } from './params.js';

export const COMPARISON_PERIODS = ['1d', '7d', '14d', '30d', '90d'] as const;

/** The two periods as the responses print them (`period` of /bot-traffic and /account/all-sites). */
export interface ComparisonPeriod {
  label: (typeof COMPARISON_PERIODS)[number];
  from: string;
  to: string;
  previous_from: string;
  previous_to: string;
}

/** N, the length of each period in days. */
export const periodDays = (p: Pick<ComparisonPeriod, 'label'>): number => Number.parseInt(p.label, 10);

/** `period` (default 7d, else 400 MISSING_FIELDS naming the allowed values). */
export function parseComparisonPeriod(value: unknown, now: number): ComparisonPeriod {
  const label = parseChoice(value, 'period', COMPARISON_PERIODS, '7d');
  const days = periodDays({ label });
  const to = utcDay(now);
  return { label, from: addDays(to, -(days - 1)), to, previous_from: addDays(to, -(2 * days - 1)), previous_to: addDays(to, -days) };
}
