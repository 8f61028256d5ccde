// Window starts per contract §1.4/§1.5: `Nd` or an ISO date/date-time, resolved to a UTC date; pure and shared by every read.

const DAY_MS = 86_400_000;
export const DEFAULT_SINCE_DAYS = 7;

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

const DAYS = /^(\d{1,6})d$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export interface Since {
  /** First UTC date of the window (inclusive). */
  date: string;
  /** The instant the value names: now − N days for `Nd`, the parsed instant for ISO input. */
  instant: number;
  /** False when the value was absent or unparseable and the 7-day default applied. */
  parsed: boolean;
}

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

/**
 * Resolve an `until` value (a window end, beyond the contract): what `since` accepts — `Nd` (now − N days)
 * or an ISO date/date-time — plus epoch ms. Absent or empty → undefined; anything else unparseable → null
 * (the caller answers 400: unlike `since`, a wrong end would silently return the wrong rows).
 */
export function parseUntil(value: unknown, now: number = Date.now()): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    const days = DAYS.exec(value.trim());
    if (days) return now - Number(days[1]) * DAY_MS;
  }
  const ms = parseEpochOrIso(value);
  // Outside the range a Date can hold, an instant cannot be printed or compared meaningfully.
  return ms !== null && Math.abs(ms) <= 8.64e15 ? ms : null;
}

/**
 * Resolve a `since` value (§1.4): `Nd` → the UTC date N days before now, ISO → the UTC date of that
 * instant; absent or unparseable → 7 days ago (never an error, as the contract requires).
 */
export function parseSince(value: unknown, now: number = Date.now()): Since {
  if (typeof value === 'string') {
    const days = DAYS.exec(value.trim());
    if (days) {
      const instant = now - Number(days[1]) * DAY_MS;
      if (Number.isFinite(new Date(instant).getTime()) && instant > -8.64e15) return { date: utcDay(instant), instant, parsed: true };
    }
    const iso = parseIsoInstant(value);
    if (iso !== null) return { date: utcDay(iso), instant: iso, parsed: true };
  }
  const instant = now - DEFAULT_SINCE_DAYS * DAY_MS;
  return { date: utcDay(instant), instant, parsed: false };
}
