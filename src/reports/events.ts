// E4: the raw event log — newest first (timestamp desc, then id desc), optional exact filters, a date
// window from `since` bounded by retention. One statement from the SQL compiler (store/sql/rows.ts); rows shaped as §1.6 Event rows.
import type { Filter } from '../query/types.js';
import type { CompiledSql, EventStore, LiveEvent } from '../store/ports.js';
import { dialectFor } from '../store/sql/dialects/index.js';
import { readWindow } from '../query/plan.js';
import { compileEventRows } from '../store/sql/rows.js';

export interface EventsQuery {
  projectId: string;
  /** First UTC date of the window (inclusive). */
  since: string;
  limit: number;
  event?: string;
  sessionId?: string;
  userId?: string;
  /** The account's retention (-1 = keep forever): older rows are never returned. */
  retentionDays: number;
}

/** An event row of E4: what the live stream carries, plus its UTC date. */
export interface EventOut extends LiveEvent {
  date: string;
}

/** The effective window start, as the window planner gives it (§1.5). */
export function windowStart(since: string, retentionDays: number, now = Date.now()): string {
  return readWindow({ retentionDays, now }, { from: since }).from;
}

export async function listEvents(store: EventStore, q: EventsQuery, now = Date.now()): Promise<EventOut[]> {
  const filters: Filter[] = [];
  const exact: [string, string | undefined][] = [['event', q.event], ['session_id', q.sessionId], ['user_id', q.userId]];
  for (const [field, value] of exact) if (value !== undefined) filters.push({ op: 'eq', field, value });
  const from = windowStart(q.since, q.retentionDays, now);
  return eventRows(store, compileEventRows(dialectFor(store), { projectId: q.projectId, from, filters, order: 'desc', limit: q.limit }));
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
