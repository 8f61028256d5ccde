// The one parser of window bounds: `since` (contract §1.4, never an error) and `until` (beyond the
// contract, a 400 when wrong). Every read — fixed reports, /query's date_from, /funnel, /journey — uses it.
import { badRequest } from '../../errors.js';
import { DAY_MS, DAYS, dayStart, parseEpochOrIso, parseIsoInstant, utcDay } from '../time.js';

export const DEFAULT_SINCE_DAYS = 7;

export interface Since {
  /** First UTC date of the window (inclusive). */
  date: string;
  /** The instant the value names: now − N days for `Nd`, the parsed instant for ISO input. */
  instant: number;
  /** False when the value was absent or unparseable and the default applied. */
  parsed: boolean;
}

/**
 * Resolve a `since` value (§1.4): `Nd` → the UTC date N days before now, ISO → the UTC date of that
 * instant; absent or unparseable → `defaultDays` ago (7 unless the endpoint says otherwise; never an error,
 * as the contract requires).
 */
export function parseSince(value: unknown, now: number = Date.now(), defaultDays = DEFAULT_SINCE_DAYS): Since {
  if (typeof value === 'string') {
    const days = DAYS.exec(value.trim());
    if (days) {
      const instant = now - Number(days[1]) * DAY_MS;
      if (Number.isFinite(new Date(instant).getTime()) && instant > -8.64e15) return { date: utcDay(instant), instant, parsed: true };
    }
    const iso = parseIsoInstant(value);
    if (iso !== null) return { date: utcDay(iso), instant: iso, parsed: true };
  }
  const instant = now - defaultDays * DAY_MS;
  return { date: utcDay(instant), instant, parsed: false };
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
 * `until` of /events and /sessions: only rows strictly older than this instant. Absent → undefined. Not an
 * instant, or earlier than the first day of the `since` window (nothing could match) → 400 MISSING_FIELDS
 * saying what to send; unlike `since`, a wrong end is never silently replaced.
 */
export function parseUntilParam(value: unknown, since: Since, now: number): number | undefined {
  const until = parseUntil(value, now);
  if (until === undefined) return undefined;
  if (until === null) {
    throw badRequest('MISSING_FIELDS', `until must be epoch milliseconds, an ISO date/date-time (e.g. 2026-03-01T10:00:00Z) or Nd (e.g. 1d), got ${JSON.stringify(value)}`);
  }
  if (until < dayStart(since.date)) {
    throw badRequest('MISSING_FIELDS', `until (${new Date(until).toISOString()}) is before the window start ${since.date}${since.parsed ? '' : ' (the default since=7d)'}; pass an earlier since, e.g. since=30d or an ISO date`);
  }
  return until;
}
