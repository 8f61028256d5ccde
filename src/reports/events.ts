// E4: the raw event log — newest first (timestamp desc, then id desc), optional exact filters, a date
// window from `since` bounded by retention, and (beyond the contract) an `until` bound and keyset paging.
// One statement compiled by query/sql/rows.ts; rows shaped as §1.6 Event rows.
import type { Static } from 'typebox';
import type { EventRowObject, EventsResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { nextCursor, parseCursor } from '../query/page.js';
import { parseLimit } from '../query/parse/limit.js';
import { optionalText } from '../query/parse/params.js';
import { parseUntilParam } from '../query/parse/since.js';
import { newestFirst, type ReadContext } from '../query/run.js';
import { utcDay } from '../query/time.js';
import type { Filter } from '../query/types.js';
import type { CompiledSql, EventStore } from '../store/ports.js';
import { compileEventRows } from '../query/sql/rows.js';
import { sinceWindow } from './window.js';

/** An event row of E4: what the live stream carries, plus its UTC date. */
export type EventOut = Static<typeof EventRowObject>;

export interface EventsInput {
  projectId: string;
  project: string;
  since: unknown;
  until?: unknown;
  cursor?: unknown;
  limit: unknown;
  event?: unknown;
  session_id?: unknown;
  user_id?: unknown;
}

export async function eventsReport(ctx: ReadContext, input: EventsInput): Promise<ReportBody<typeof EventsResponse>> {
  const { since, from } = sinceWindow(ctx, input.since);
  const until = parseUntilParam(input.until, since, ctx.now);
  const after = parseCursor(input.cursor);
  const limit = parseLimit(input.limit, 100);
  const filters: Filter[] = [];
  for (const field of ['event', 'session_id', 'user_id'] as const) {
    const value = optionalText(input[field]);
    if (value !== undefined) filters.push({ op: 'eq', field, value });
  }
  // The date bound only lets the engine skip later partitions; the timestamp bound decides.
  if (until !== undefined) filters.push({ op: 'lt', field: 'timestamp', value: until }, { op: 'lte', field: 'date', value: utcDay(until) });
  // Newest first, a span of dates at a time from the newest date a row can have (query/plan.ts newestFirstSpans).
  const start = utcDay(Math.min(ctx.now, until ?? Infinity, after?.time ?? Infinity));
  const events = await newestFirst(from, start, limit, (span, n) =>
    eventRows(ctx.store, compileEventRows(ctx.dialect, { projectId: input.projectId, ...span, filters, order: 'desc', after, limit: n })));
  return { project: input.project, events, ...nextCursor(events, limit, (e) => ({ time: e.timestamp, id: e.id })) };
}

/** Run an event-row statement (compileEventRows) and shape its rows: numeric timestamps, parsed properties. */
export async function eventRows(store: EventStore, statement: CompiledSql): Promise<EventOut[]> {
  const rows = await store.query<Omit<EventOut, 'properties'> & { properties: string | null }>(statement);
  return rows.map((r) => ({ ...r, timestamp: Number(r.timestamp), properties: parseProperties(r.properties) }));
}

function parseProperties(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
