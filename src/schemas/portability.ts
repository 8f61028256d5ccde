// Export, import and backup (docs/portability.md): query strings, job reports and the backup manifest. The inputs
// are the validators: each field answers with the contract's code (failsWith, http/errors.ts), after the owner check.
import { Type, type Static } from 'typebox';
import { failsWith } from './common.js';

const DateQuery = (name: string, what: string) => failsWith(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: what, examples: ['2026-01-01'] }),
  'MISSING_FIELDS', `${name} must be a UTC date YYYY-MM-DD (e.g. ${name}=2026-01-31)`);
/** A required `project` answers PROJECT_REQUIRED, as on every project-scoped route. */
const RequiredProject = () => failsWith(Type.String({ description: 'Project name (or id)' }), 'PROJECT_REQUIRED', 'pass the project name, e.g. ?project=my-site');
const Flag = (description: string) => failsWith(Type.Enum(['0', '1', 'true', 'false'], { description }), 'MISSING_FIELDS');

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;

export const ExportQuery = Type.Object({
  project: RequiredProject(),
  from: Type.Optional(DateQuery('from', 'First UTC date (inclusive); default: the oldest event the account\'s retention still shows')),
  to: Type.Optional(DateQuery('to', 'Last UTC date (inclusive); default: no end')),
  format: Type.Optional(failsWith(Type.Enum(EXPORT_FORMATS, { description: 'ndjson (default), csv or parquet' }), 'MISSING_FIELDS')),
  gzip: Type.Optional(Flag('1: a gzip file (Content-Type application/gzip); without it, Accept-Encoding: gzip compresses the transfer only')),
});

export const IMPORT_FORMATS = ['ndjson', 'csv', 'parquet', 'umami-csv', 'aa-sqlite', 'plausible-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ImportQuery = Type.Object({
  project: RequiredProject(),
  format: failsWith(Type.Enum(IMPORT_FORMATS, {
    description: 'ndjson, csv, parquet (our own export), umami-csv (Umami website_event rows), aa-sqlite (the official self-host SQLite database file), plausible-csv (Plausible\'s imported_pages.csv)',
  }), 'MISSING_FIELDS', `format is one of ${IMPORT_FORMATS.join(', ')}`),
  skip_invalid: Type.Optional(Flag('1: skip malformed rows (counted with their reasons) instead of refusing the whole file')),
  filename: Type.Optional(Type.String({ description: 'The uploaded file\'s name, kept in the job report (its first 256 characters)' })),
  source_project: Type.Optional(Type.String({ description: 'aa-sqlite: the project (name) inside the database file to import; required when it holds several' })),
});

export const ImportJobObject = Type.Object({
  id: Type.String(),
  project: Type.String({ description: 'Project name' }),
  format: Type.String(),
  filename: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ enum: ['queued', 'running', 'done', 'failed'] }),
  rows_read: Type.Integer({ description: 'Rows (records) read from the file so far' }),
  rows_imported: Type.Integer({ description: 'Events stored' }),
  rows_skipped: Type.Integer({ description: 'Rows not stored; see skipped' }),
  skipped: Type.Record(Type.String(), Type.Integer(), { description: 'Skipped rows per reason, e.g. {"duplicate": 12, "invalid": 1}' }),
  examples: Type.Array(Type.String(), { description: 'Up to 10 skipped or failing rows, each with its line/row number and reason' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the job failed (nothing was imported unless skip_invalid was set)' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ImportJobView = Static<typeof ImportJobObject>;

const DIR_HINT = 'an absolute path on the server for a new or empty folder, e.g. {"dir":"/var/backups/aa-2026-03-01"}';
export const BackupBody = failsWith(Type.Object({
  dir: failsWith(Type.String({ minLength: 1, description: 'An absolute path on the server\'s machine: a new or empty folder' }), 'MISSING_FIELDS', DIR_HINT),
}), 'MISSING_FIELDS', `send {"dir": …}: ${DIR_HINT}`);

export const BackupManifest = Type.Object({
  format: Type.Literal('agent-analytics-backup/1'),
  created_at: Type.String({ format: 'date-time' }),
  files: Type.Object({ events: Type.String(), meta: Type.String() }),
  events: Type.Integer({ description: 'Events in the copy' }),
  meta_rows: Type.Record(Type.String(), Type.Integer(), { description: 'Rows per meta table in the copy' }),
  duration_ms: Type.Integer(),
});
export type BackupManifestView = Static<typeof BackupManifest>;
