// The one place integer parameters are parsed (`limit`, `sample`, `cohorts`, …): the forgiving clamp of
// contract §1.4 for the analytics reads, and the strict range of the account-wide reads; pure.
import { badRequest } from '../../errors.js';

export interface ClampRule {
  fallback: number;
  min: number;
  max: number;
  /** Whether 0 means "use the fallback" (true for `limit`, §1.4). */
  zeroIsFallback?: boolean;
}

/**
 * Missing or non-numeric → fallback; `0` → fallback when the rule says so; otherwise truncated to an
 * integer and clamped to [min, max] (so negative → min, too large → max).
 */
export function clampInt(value: unknown, rule: ClampRule): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value.trim());
  else return rule.fallback;
  if (!Number.isFinite(n)) return Number.isNaN(n) ? rule.fallback : n > 0 ? rule.max : rule.min;
  n = Math.trunc(n);
  if (n === 0 && rule.zeroIsFallback) return rule.fallback;
  return Math.min(rule.max, Math.max(rule.min, n));
}

/** Rows a `limit` may ask for (§1.4, §1.7): /events, /sessions, /query, /breakdown, /pages, /journey. */
export const ROW_LIMIT = { min: 1, max: 1000 } as const;

/** `limit` (§1.4): missing, garbage or 0 → the endpoint's default; negative → 1; above 1000 → 1000. */
export const parseLimit = (value: unknown, fallback = 100): number => clampInt(value, { fallback, ...ROW_LIMIT, zeroIsFallback: true });

export interface StrictRange { min: number; max: number; fallback: number }

/**
 * A strict `limit` (the account-wide reads): absent → fallback; an integer in [min, max] (number or digit
 * string, up to 999) → itself; anything else (0, 51, 2.5, "abc", "") → 400 MISSING_FIELDS, never clamped.
 */
export function parseStrictLimit(value: unknown, range: StrictRange): number {
  if (value === undefined) return range.fallback;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    if (n >= range.min && n <= range.max) return n;
  }
  throw badRequest('MISSING_FIELDS', `limit must be an integer from ${range.min} to ${range.max} (default ${range.fallback}), got ${JSON.stringify(value)}`);
}
