// Parsers for the query-string parameters the read endpoints share: untrusted input in, a typed value
// or the contract's ApiError out (never a 500). Numbers: limit.ts; window bounds: since.ts; periods: period.ts.
import { badRequest } from '../../errors.js';
import { PROPERTY_KEY } from '../registry/fields.js';
import type { Filter } from '../types.js';
import { parseFilters } from './query-body.js';

/** A property key: 400 INVALID_PROPERTY_KEY unless it matches ^[A-Za-z0-9_]{1,128}$. */
export function parsePropertyKey(value: unknown, what = 'property'): string {
  if (typeof value !== 'string' || !PROPERTY_KEY.test(value)) {
    throw badRequest('INVALID_PROPERTY_KEY', `${what} must be a property key of 1-128 letters, digits or underscores (e.g. path, utm_source), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One of a fixed set; absent → fallback; anything else → 400 MISSING_FIELDS naming the allowed values. */
export function parseChoice<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw badRequest('MISSING_FIELDS', `${name} must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

/** An optional exact-match text parameter (event names, ids): absent or empty → undefined. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** What a `filters` query parameter must look like, for the messages that say how to fix it. */
const FILTERS_PARAM_EXAMPLE = 'filters=[{"field":"country","op":"eq","value":"DE"}] (URL-encoded)';

/**
 * `filters` of /stats, /breakdown and /pages (beyond the contract): the very filters of POST /query
 * (§E5, same parser, same codes), sent as one URL-encoded JSON array. Absent or empty → none. Not JSON, not an
 * array, or repeated → 400 INVALID_BODY saying what to send; an unknown field throws UnknownFilterField
 * (the caller answers it with /query's guidance body).
 */
export function parseFiltersParam(value: unknown): Filter[] {
  if (value === undefined || value === '') return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    throw badRequest('INVALID_BODY', `pass filters once, as one JSON array of {field, op, value} objects: ${FILTERS_PARAM_EXAMPLE}`);
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw badRequest('INVALID_BODY', `filters is not JSON; send a JSON array of {field, op, value} objects: ${FILTERS_PARAM_EXAMPLE}`);
    }
  }
  if (!Array.isArray(parsed)) throw badRequest('INVALID_BODY', `filters must be a JSON array of {field, op, value} objects: ${FILTERS_PARAM_EXAMPLE}`);
  return parseFilters(parsed);
}
