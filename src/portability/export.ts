// Export: every stored event of a project's date range as NDJSON, CSV or Parquet. The engine's own writer
// produces the file (DuckDB COPY … TO, ClickHouse FORMAT …), never JavaScript row objects: NDJSON and CSV one UTC
// day at a time into a temp file that is streamed out and deleted (the next day is written meanwhile), so memory
// and temp space are bounded by one day's events; Parquet in one file. The caller pipes the stream with
// backpressure: a slow client pauses the reads of the current file, and no further day starts before it is read.
import { createReadStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { compileExport, compileExportCount, compileExportDays, EXPORT_FIELDS } from '../query/sql/export.js';
import type { Dialect } from '../query/sql/dialect.js';
import type { EventStore, ExportFileFormat } from '../store/ports.js';
import { csvLine } from './csv.js';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const satisfies readonly ExportFileFormat[];
export type ExportFormat = ExportFileFormat;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

export interface ExportRequest {
  store: EventStore;
  dialect: Dialect;
  projectId: string;
  /** The window as the planner gave it (plan.ts readWindow: retention already applied). */
  from: string;
  to?: string;
  format: ExportFormat;
  /** Where the engine writes the files before they are streamed (then deleted). */
  tmpDir: string;
}

async function* dayByDay(req: ExportRequest, dir: string): AsyncIterable<Buffer | string> {
  if (req.format === 'csv') yield csvLine([...EXPORT_FIELDS]);
  const days = (await req.store.query<{ day: string }>(compileExportDays(req.dialect, req))).map((r) => String(r.day));
  const write = (i: number): Promise<string> => {
    const file = join(dir, `${i}.${req.format}`);
    return req.store.writeExport(compileExport(req.dialect, { projectId: req.projectId, from: days[i], to: days[i] }, req.format), file, req.format).then(() => file);
  };
  let next: Promise<string> | null = days.length ? write(0) : null;
  try {
    for (let i = 0; i < days.length; i++) {
      const file = await next!;
      next = i + 1 < days.length ? write(i + 1) : null;
      next?.catch(() => {}); // awaited on the next turn; an early end must not leave it unhandled
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
      await rm(file, { force: true });
    }
  } finally {
    await next?.catch(() => {});
  }
}

/** Where exports write their per-day files before streaming them: <data>/tmp (only exports use it). */
export const exportTempDir = (dataDir: string): string => join(dataDir, 'tmp');

/** Remove what a download cut off by a crash or kill -9 left behind (called once at start-up, before serving). */
export function sweepExportTemp(dataDir: string): void {
  rmSync(exportTempDir(dataDir), { recursive: true, force: true });
}

/** How many events the export holds (a progress total for clients). */
export async function countExport(req: Omit<ExportRequest, 'format' | 'tmpDir'>): Promise<number> {
  const [row] = await req.store.query<{ n: number }>(compileExportCount(req.dialect, req));
  return Number(row?.n ?? 0);
}

/** The export as a byte stream; the temp folder is removed when the stream ends, fails or is destroyed. */
export async function exportEvents(req: ExportRequest): Promise<Readable> {
  const dir = await mkdtemp(join(req.tmpDir, 'export-'));
  const cleanup = () => void rm(dir, { recursive: true, force: true });
  let stream: Readable;
  if (req.format === 'parquet') {
    try {
      const file = join(dir, 'events.parquet');
      await req.store.writeExport(compileExport(req.dialect, req, 'parquet'), file, 'parquet');
      stream = createReadStream(file);
    } catch (err) {
      cleanup();
      throw err;
    }
  } else {
    stream = Readable.from(dayByDay(req, dir), { objectMode: false });
  }
  stream.once('close', cleanup);
  return stream;
}
