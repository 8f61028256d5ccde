// Window arithmetic the reports share: `since` resolved and planned (retention applied), N-day periods ending today.
import { readWindow } from '../query/plan.js';
import type { ReadContext } from '../query/run.js';
import { parseSince, utcDay, type Since } from '../query/time.js';

const DAY_MS = 86_400_000;

/** `since` (§1.4) and the effective first date the window planner gives it (§1.5). */
export function sinceWindow(ctx: ReadContext, raw: unknown, defaultSince?: string): { since: Since; from: string } {
  const since = parseSince(raw === undefined && defaultSince ? defaultSince : raw, ctx.now);
  return { since, from: readWindow(ctx, { from: since.date }).from };
}

/** Today's UTC date. */
export const today = (ctx: ReadContext): string => utcDay(ctx.now);

/** The UTC date `days` days after (negative: before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return utcDay(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}
