// Backups of an embedded install (docs/portability.md#backups): a consistent online copy of the event store
// (DuckDB COPY FROM DATABASE, one snapshot) and of the meta store (SQLite's backup API) into a new folder, with a
// manifest of what the copy holds; a restore copies them into an empty data folder and checks the counts.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Config } from '../config.js';
import { badRequest } from '../errors.js';
import { duckdbEventCount, sqliteTableCounts } from '../store/files/backup-files.js';
import type { EventStore, MetaStore } from '../store/ports.js';

export const BACKUP_FORMAT = 'agent-analytics-backup/1';
const FILES = { events: 'events.duckdb', meta: 'meta.sqlite' } as const;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  created_at: string;
  files: { events: string; meta: string };
  events: number;
  meta_rows: Record<string, number>;
  duration_ms: number;
}

const CLUSTER = 'this server runs on ClickHouse/PostgreSQL: back those up with their own tools (ClickHouse BACKUP, pg_dump); see docs/portability.md#cluster-backups';

function emptyFolder(dir: string, what: string): void {
  if (!isAbsolute(dir)) throw badRequest('INVALID_BODY', `${what} must be an absolute path, got ${JSON.stringify(dir)}`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw badRequest('INVALID_BODY', `${what} ${dir} is not empty; pick a new folder (a backup never overwrites files)`);
  mkdirSync(dir, { recursive: true });
}

/** Copy both stores of a running embedded install into `dir` (absolute, new or empty). */
export async function backupTo(stores: { events: EventStore; meta: MetaStore }, dir: string): Promise<BackupManifest> {
  const started = Date.now();
  if (!stores.events.snapshot || !stores.meta.snapshot) throw badRequest('CLUSTER_BACKUP', CLUSTER);
  emptyFolder(dir, 'dir');
  // Events first, then meta: every project an event names is in the meta copy (projects are never deleted rows).
  await stores.events.snapshot(join(dir, FILES.events));
  await stores.meta.snapshot(join(dir, FILES.meta));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    created_at: new Date(started).toISOString(),
    files: { ...FILES },
    events: await duckdbEventCount(join(dir, FILES.events)),
    meta_rows: sqliteTableCounts(join(dir, FILES.meta)),
    duration_ms: Date.now() - started,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A restore refused: the message says what to fix. */
export class RestoreError extends Error {}

/** Copy a backup into the configured (embedded) data folder, which must hold no store files; checks the counts. */
export async function restoreFrom(dir: string, config: Config): Promise<BackupManifest> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new RestoreError(`${dir} holds no manifest.json; pass the folder \`agent-analytics backup\` wrote`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new RestoreError(`unknown backup format ${JSON.stringify(manifest.format)}; this version restores ${BACKUP_FORMAT}`);
  if (!config.eventsUrl.startsWith('duckdb:') || /^postgres(ql)?:\/\//.test(config.metaUrl)) throw new RestoreError(`restore writes an embedded install; unset AA_EVENTS_URL/AA_META_URL (${CLUSTER})`);
  const eventsPath = config.eventsUrl.slice('duckdb:'.length);
  const targets = [eventsPath, config.metaUrl];
  for (const target of targets) {
    for (const f of [target, `${target}.wal`, `${target}-wal`]) {
      if (existsSync(f)) throw new RestoreError(`${f} exists; restore only into an empty data folder (set AA_DATA_DIR to a new folder, or move the old one away)`);
    }
  }
  for (const target of targets) mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(dir, manifest.files.events), eventsPath);
  copyFileSync(join(dir, manifest.files.meta), config.metaUrl);
  const events = await duckdbEventCount(eventsPath);
  const metaRows = sqliteTableCounts(config.metaUrl);
  if (events !== manifest.events || JSON.stringify(metaRows) !== JSON.stringify(manifest.meta_rows)) {
    throw new RestoreError(`the restored files do not match the manifest (events ${events} vs ${manifest.events}); the backup folder may be damaged`);
  }
  return manifest;
}
