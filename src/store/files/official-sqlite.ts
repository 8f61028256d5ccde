// Reads the official Agent Analytics self-host SQLite database file (its schema.sql: `events` keyed by a
// ULID `id` with `project_id` holding the project's name, and `identity_map`), read-only, row by row.
import Database from 'better-sqlite3';

export interface OfficialEvent {
  id: string;
  project_id: string;
  event: string;
  properties: string | null;
  user_id: string | null;
  session_id: string | null;
  timestamp: number;
  date: string;
  country: string | null;
}

export interface OfficialFile {
  /** Project names in the file with their event counts, by name. */
  projects(): { project: string; events: number }[];
  /** Events of one project in (timestamp, id) order, one row at a time. */
  events(project: string): IterableIterator<OfficialEvent>;
  /** The project's identity map: previous (anonymous) id → canonical user id. */
  identities(project: string): { previous_id: string; canonical_id: string }[];
  close(): void;
}

/** Open the file read-only; throws a readable error when it is not SQLite or lacks the official `events` table. */
export function openOfficialSqlite(path: string): OfficialFile {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT id, project_id, event, properties, user_id, session_id, timestamp, date, country FROM events LIMIT 0').all();
  } catch (err) {
    throw new Error(`not an Agent Analytics self-host SQLite database (${(err as Error).message}); pass the .db file the official server writes`);
  }
  const hasIdentities = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'identity_map'").get() as { n: number };
  return {
    projects: () => db.prepare('SELECT project_id AS project, count(*) AS events FROM events GROUP BY project_id ORDER BY project_id').all() as { project: string; events: number }[],
    events: (project) => db.prepare('SELECT id, project_id, event, properties, user_id, session_id, timestamp, date, country FROM events WHERE project_id = ? ORDER BY timestamp, id').iterate(project) as IterableIterator<OfficialEvent>,
    identities: (project) => (hasIdentities.n
      ? db.prepare('SELECT previous_id, canonical_id FROM identity_map WHERE project_id = ? ORDER BY previous_id').all(project)
      : []) as { previous_id: string; canonical_id: string }[],
    close: () => db.close(),
  };
}
