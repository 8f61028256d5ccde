// UTC dates and instants: the calendar arithmetic and ISO/epoch parsing every layer shares; pure.
// The request parameters built on them (`since`, `until`) are parsed in parse/since.ts.

export const DAY_MS = 86_400_000;

// Ingestion asks for the date of nearly the same instant thousands of times a second: remember one day.
let dayFrom = 0;
let dayTo = -1;
let dayText = '';

/** The UTC calendar date (YYYY-MM-DD) of an epoch-ms instant. */
export function utcDay(ms: number): string {
  if (ms >= dayFrom && ms < dayTo) return dayText;
  const text = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(ms)) {
    dayFrom = Math.floor(ms / DAY_MS) * DAY_MS;
    dayTo = dayFrom + DAY_MS;
    dayText = text;
  }
  return text;
}

/** Epoch ms of 00:00 UTC on a YYYY-MM-DD date. */
export const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** `Nd`: N days before now (since, until, since-like fields). */
export const DAYS = /^(\d{1,6})d$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;


/** Parse an ISO 8601 date or date-time to epoch ms (no offset = UTC); null when it is not one. */
export function parseIsoInstant(value: string): number | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return null;
  const text = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : value.trim().replace(' ', 'T') + (zone ? '' : 'Z');
  const ms = Date.parse(text);
  // Date.parse rolls 2025-02-31 over to March; reject it instead.
  if (!Number.isFinite(ms) || (h === undefined && utcDay(ms) !== `${y}-${mo}-${d}`)) return null;
  return ms;
}

/** An instant given as epoch ms (a number or a digit string) or an ISO 8601 date/date-time; null when it is neither. */
export function parseEpochOrIso(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\d{1,16}$/.test(value.trim())) return Number(value.trim());
  return parseIsoInstant(value);
}

/** The UTC date `days` days after (negative: before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return utcDay(dayStart(date) + days * DAY_MS);
}
