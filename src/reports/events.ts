// E4: the raw event log — newest first (timestamp desc, then id desc), optional exact filters, a date
// window from `since` bounded by retention. One parameterised statement in the store's dialect; rows shaped as §1.6 Event rows.
import type { EventStore, LiveEvent } from '../store/ports.js';
import { Binder } from '../store/sql/binder.js';
import { dialectFor } from '../store/sql/dialects/index.js';
import { readWindow } from '../query/plan.js';

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
  const d = dialectFor(store);
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(windowStart(q.since, q.retentionDays, now))}`];
  const exact: [string, string | undefined][] = [['event', q.event], ['session_id', q.sessionId], ['user_id', q.userId]];
  for (const [column, value] of exact) if (value !== undefined) where.push(`${column} = ${b.bind(value)}`);
  const rows = await store.query<Omit<EventOut, 'properties'> & { properties: string | null }>({
    sql: `SELECT id, project_id, event, properties, user_id, session_id, ts AS timestamp, ${d.asText('date')} AS date, country
          FROM events WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ${b.bind(q.limit)}`,
    params: b.values,
  });
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
