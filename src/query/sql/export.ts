// The export statement: every stored event of one project in a date range, in (timestamp, id) order, as the
// fields of the export file formats (docs/portability.md#our-own-format) — streamed, never paged with OFFSET.
import { EVENT_COLUMNS } from '../../store/ports.js';
import type { CompiledSql, ExportFileFormat } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';

/** The fields of an exported event, in file order: the stored row without project_id, `ts` named `timestamp`. */
export const EXPORT_FIELDS = EVENT_COLUMNS.filter((c) => c !== 'project_id').map((c) => (c === 'ts' ? 'timestamp' : c));

export type ExportField = (typeof EXPORT_FIELDS)[number];

/**
 * Events of `projectId` dated `from` … `to` (inclusive; no `to` = no upper bound), ordered by ts then id, for
 * the engine's writer of `format` (properties last, as a JSON value for NDJSON).
 */
export function compileExport(d: Dialect, q: { projectId: string; from: string; to?: string }, format: ExportFileFormat): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(q.from)}`];
  if (q.to !== undefined) where.push(`date <= ${b.date(q.to)}`);
  const select = EVENT_COLUMNS.filter((c) => c !== 'project_id').map((c) =>
    c === 'ts' ? 'ts AS timestamp' : c === 'date' ? `${d.asText('date')} AS date` : c === 'properties' && format === 'ndjson' ? `${d.rawJson(c)} AS properties` : c);
  return { sql: `SELECT ${select.join(', ')} FROM events WHERE ${where.join(' AND ')} ORDER BY ts, id`, params: b.values };
}

/** The UTC dates of the window on which the project has events, ascending (an export writes one day at a time). */
export function compileExportDays(d: Dialect, q: { projectId: string; from: string; to?: string }): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(q.from)}`];
  if (q.to !== undefined) where.push(`date <= ${b.date(q.to)}`);
  return { sql: `SELECT DISTINCT ${d.asText('date')} AS day FROM events WHERE ${where.join(' AND ')} ORDER BY day`, params: b.values };
}

/** Rows {n}: how many events the export of this window holds (the progress total, X-Export-Rows). */
export function compileExportCount(d: Dialect, q: { projectId: string; from: string; to?: string }): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(q.from)}`];
  if (q.to !== undefined) where.push(`date <= ${b.date(q.to)}`);
  return { sql: `SELECT count(*) AS n FROM events WHERE ${where.join(' AND ')}`, params: b.values };
}
