// Statements ingestion runs against the event store: the events received per project and day (usage
// reconciliation at start-up) and which of a batch's ids are already stored (an insert whose outcome is unknown).
import type { CompiledSql } from '../../store/ports.js';
import { utcDay } from '../time.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';

/** Events received from `from` (epoch ms) on, per project and UTC receive date: rows {project_id, day, n}. */
export function compileReceivedPerDay(d: Dialect, from: number): CompiledSql {
  const b = new Binder(d);
  const day = d.asText(d.dateOf('received_at'));
  return { sql: `SELECT project_id, ${day} AS day, count(*) AS n FROM events WHERE received_at >= ${b.bind(from)} GROUP BY project_id, ${day}`, params: b.values };
}

/** Rows {id} of the given event ids that are stored (at most a few hundred ids per statement). */
export function compileStoredIds(d: Dialect, ids: string[]): CompiledSql {
  const b = new Binder(d);
  return { sql: `SELECT id FROM events WHERE id IN (${ids.map((id) => b.bind(id)).join(', ')})`, params: b.values };
}

/**
 * Rows {id} of the given ids already stored for one project, among events timed `fromTs` … `toTs` (an import's
 * duplicate check: a re-imported record carries its id and its time, and the time range lets the engine skip
 * the blocks outside it instead of scanning the table for every batch; a few hundred ids per statement).
 */
export function compileProjectIds(d: Dialect, projectId: string, ids: string[], fromTs: number, toTs: number): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(projectId)}`, `date >= ${b.date(utcDay(fromTs))}`, `date <= ${b.date(utcDay(toTs))}`,
    `ts >= ${b.bind(fromTs)}`, `ts <= ${b.bind(toTs)}`, `id IN (${ids.map((id) => b.bind(id)).join(', ')})`];
  return { sql: `SELECT id FROM events WHERE ${where.join(' AND ')}`, params: b.values };
}
