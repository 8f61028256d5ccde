// Window arithmetic the reports share: `since` resolved and planned (retention applied), N-day periods ending today.
import { readWindow } from '../query/plan.js';
import type { ReadContext } from '../query/run.js';
import { parseSince, type Since } from '../query/parse/since.js';
import { addDays, utcDay } from '../query/time.js';

export { addDays };

/** `since` (§1.4; absent or unparseable → `defaultDays` ago) and the effective first date the window planner gives it (§1.5). */
export function sinceWindow(ctx: ReadContext, raw: unknown, defaultDays?: number): { since: Since; from: string } {
  const since = parseSince(raw, ctx.now, defaultDays);
  return { since, from: readWindow(ctx, { from: since.date }).from };
}

/** Today's UTC date. */
export const today = (ctx: ReadContext): string => utcDay(ctx.now);
