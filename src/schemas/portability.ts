// Export, import and backup (docs/portability.md): query strings, job reports and the backup manifest.
import { Type, type Static } from 'typebox';
import { ProjectQuery } from './common.js';

const DateQuery = (what: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: what, examples: ['2026-01-01'] });

export const ExportQuery = Type.Object({
  project: ProjectQuery,
  from: Type.Optional(DateQuery('First UTC date (inclusive); default: the oldest event the account\'s retention still shows')),
  to: Type.Optional(DateQuery('Last UTC date (inclusive); default: no end')),
  format: Type.Optional(Type.String({ enum: ['ndjson', 'csv', 'parquet'], description: 'ndjson (default), csv or parquet' })),
  gzip: Type.Optional(Type.String({ enum: ['0', '1', 'true', 'false'], description: '1: a gzip file (Content-Type application/gzip); without it, Accept-Encoding: gzip compresses the transfer only' })),
});

export const IMPORT_FORMATS = ['ndjson', 'csv', 'parquet', 'umami-csv', 'aa-sqlite', 'plausible-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ImportQuery = Type.Object({
  project: ProjectQuery,
  format: Type.String({ enum: [...IMPORT_FORMATS], description: 'ndjson, csv, parquet (our own export), umami-csv (Umami website_event rows), aa-sqlite (the official self-host SQLite database file), plausible-csv (Plausible\'s imported_pages.csv)' }),
  skip_invalid: Type.Optional(Type.String({ enum: ['0', '1', 'true', 'false'], description: '1: skip malformed rows (counted with their reasons) instead of refusing the whole file' })),
  filename: Type.Optional(Type.String({ maxLength: 256, description: 'The uploaded file\'s name, kept in the job report' })),
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

export const BackupBody = Type.Object({
  dir: Type.String({ minLength: 1, description: 'An absolute path on the server\'s machine: a new or empty folder' }),
});

export const BackupManifest = Type.Object({
  format: Type.Literal('agent-analytics-backup/1'),
  created_at: Type.String({ format: 'date-time' }),
  files: Type.Object({ events: Type.String(), meta: Type.String() }),
  events: Type.Integer({ description: 'Events in the copy' }),
  meta_rows: Type.Record(Type.String(), Type.Integer(), { description: 'Rows per meta table in the copy' }),
  duration_ms: Type.Integer(),
});
export type BackupManifestView = Static<typeof BackupManifest>;
