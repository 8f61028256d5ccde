// E15 GET /retention: rolling cohorts ending today, triangular retained/rates arrays, size-weighted averages.
import type { RetentionResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { badRequest } from '../errors.js';
import { clampInt } from '../query/parse/limit.js';
import { optionalText, parseChoice } from '../query/parse/params.js';
import { readFloor } from '../query/plan.js';
import type { ReadContext } from '../query/run.js';
import { ratio } from '../query/shape.js';
import { compileRetention } from '../query/sql/retention.js';
import { addDays, today } from './window.js';

export const RETENTION_PERIODS = { day: { days: 1, max: 30 }, week: { days: 7, max: 12 }, month: { days: 30, max: 12 } } as const;
export const RETENTION_MAX_USERS = 10_000;

type Period = keyof typeof RETENTION_PERIODS;

export type RetentionReport = ReportBody<typeof RetentionResponse>;
export type Cohort = RetentionReport['cohorts'][number];

/** `cohorts`: non-numeric → 8; otherwise an integer from 1 to the period's maximum, else 400 MISSING_FIELDS. */
function parseCohorts(value: unknown, period: Period): number {
  const max = RETENTION_PERIODS[period].max;
  const n = clampInt(value, { fallback: 8, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY });
  if (n < 1 || n > max) throw badRequest('MISSING_FIELDS', `cohorts must be from 1 to ${max} for period=${period} (got ${JSON.stringify(value)})`);
  return n;
}

export async function retentionReport(ctx: ReadContext, input: { projectId: string; project: string; period: unknown; cohorts: unknown; event: unknown; returning_event: unknown }): Promise<RetentionReport> {
  const period = parseChoice(input.period, 'period', Object.keys(RETENTION_PERIODS) as Period[], 'week');
  const count = parseCohorts(input.cohorts, period);
  const event = optionalText(input.event) ?? null;
  const returning = optionalText(input.returning_event) ?? event;
  const L = RETENTION_PERIODS[period].days;
  const start = addDays(today(ctx), -(count * L - 1));

  const rows = await ctx.store.query<{ ci: number; pi: number; users: number }>(compileRetention(ctx.dialect, {
    projectId: input.projectId, start, periodDays: L, floor: readFloor(ctx),
    firstEvent: event, returningEvent: returning, maxUsers: RETENTION_MAX_USERS,
  }));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${Number(r.ci)}:${Number(r.pi)}`, Number(r.users));

  const cohorts: Cohort[] = [];
  for (let i = 0; i < count; i++) {
    const users = counts.get(`${i}:${i}`) ?? 0;
    if (users === 0) continue;
    const retained = Array.from({ length: count - i }, (_, j) => (j === 0 ? users : counts.get(`${i}:${i + j}`) ?? 0));
    cohorts.push({ date: addDays(start, i * L), users, retained, rates: retained.map((v, j) => (j === 0 ? 1 : ratio(v, users, 3))) });
  }
  const longest = Math.max(0, ...cohorts.map((c) => c.retained.length));
  const average_rates = Array.from({ length: longest }, (_, j) => {
    if (j === 0) return 1;
    const having = cohorts.filter((c) => c.retained.length > j);
    return ratio(having.reduce((s, c) => s + c.retained[j], 0), having.reduce((s, c) => s + c.users, 0), 3);
  });
  return { project: input.project, period, cohorts, average_rates, users_analyzed: cohorts.reduce((s, c) => s + c.users, 0) };
}
