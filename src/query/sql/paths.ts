// POST /paths as engine-neutral statements: the most recent sessions starting on the chosen entry pages,
// then their first node-producing events in order. The trees are built in TypeScript
// (src/reports/paths.ts); SQL only selects and bounds the rows.
import { utcDay } from '../time.js';
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { NON_INTERACTIVE_SQL } from '../../store/ports.js';
import { sessionsRelation } from './sessions.js';

export interface PathsSpec {
  projectId: string;
  /** First UTC date (sessions whose date is on or after it; already clamped to retention). */
  from: string;
  /** Entry pages whose sessions are candidates (the top entry pages of the window). */
  entryPages: string[];
  /** At most this many sessions, most recent start first. */
  sessionCap: number;
}

/**
 * Rows `session_id`, `entry_page`, `exit_page` (§1.6), `start_time` of the candidate sessions: those starting
 * on one of the entry pages, most recent start first (ties: session_id ascending), at most `sessionCap`.
 */
export function compilePathSessions(d: Dialect, p: PathsSpec): CompiledSql {
  const b = new Binder(d);
  const project = b.bind(p.projectId);
  const pages = p.entryPages.map((page) => b.bind(page));
  const from = b.date(p.from);
  const sql = `SELECT s.session_id AS session_id, s.entry_page AS entry_page, s.exit_page AS exit_page, s.start_time AS start_time
      FROM ${sessionsRelation(d, project, from)} AS s
      WHERE s.project_id = ${project} AND s.date >= ${from} AND s.entry_page IN (${pages.join(', ')})
      ORDER BY s.start_time DESC, s.session_id ASC LIMIT ${b.bind(p.sessionCap)}`;
  return { sql, params: b.values };
}

/**
 * Rows `session_id`, `event`, `page`, `n` (1-based position in (ts, id) order — the ingestion order of §1.6
 * for equal timestamps) of the candidate sessions' events that can become a node: the goal, page_views
 * of another page than the session's entry page, and interactive events; at most `eventsPerSession` per
 * session. `last` is the last candidate of compilePathSessions: in its order the candidates are exactly the
 * matching sessions that start after it or at the same instant with a session id not above its own, a
 * condition the engine checks row by row instead of sorting again; no candidate event is older than it.
 */
export function compilePathEvents(
  d: Dialect, p: PathsSpec & { goalEvent: string; eventsPerSession: number; last: { startTime: number; sessionId: string } },
): CompiledSql {
  const b = new Binder(d);
  const project = b.bind(p.projectId);
  const pages = p.entryPages.map((page) => b.bind(page));
  const start = b.bind(p.last.startTime);
  const from = b.date(p.from);
  const c = `SELECT s.session_id AS session_id, s.entry_page AS entry_page FROM ${sessionsRelation(d, project, from)} AS s
      WHERE s.project_id = ${project} AND s.date >= ${from} AND s.entry_page IN (${pages.join(', ')})
        AND (s.start_time > ${start} OR (s.start_time = ${start} AND s.session_id <= ${b.bind(p.last.sessionId)}))`;
  const goal = b.bind(p.goalEvent);
  const page = 'coalesce(ev.path, ev.url)'; // PAGE_SQL of sessions.ts on the aliased table
  const nodeEvent = `(ev.event = ${goal} OR (ev.event = 'page_view' AND ${page} IS NOT NULL AND ${page} <> c.entry_page)
      OR ev.event NOT IN ${NON_INTERACTIVE_SQL})`;
  const sql = `WITH c AS (${c}),
    r AS (SELECT ev.session_id AS sid, ev.event AS ev_name, ${page} AS ev_page,
        row_number() OVER (PARTITION BY ev.session_id ORDER BY ev.ts, ev.id) AS pos
      FROM events AS ev INNER JOIN c ON c.session_id = ev.session_id
      WHERE ev.project_id = ${project} AND ev.date >= ${b.date(utcDay(p.last.startTime))} AND ev.ts >= ${start} AND ${nodeEvent})
    SELECT sid AS session_id, ev_name AS event, ev_page AS page, pos AS n FROM r WHERE pos <= ${b.bind(p.eventsPerSession)}
    ORDER BY sid, pos`;
  return { sql, params: b.values };
}
