// `import <file>`: upload a file to POST /import and follow the job to its report, with progress bars.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ImportJob } from '../../client/api-types.js';
import { IMPORT_FORMATS } from '../../schemas/portability.js';
import { type Command, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';
import { progress } from '../progress.js';

const POLL_MS = 500;

/** The format a file most likely is: by extension, and for CSV by its header (Umami, Plausible or ours). */
export function guessFormat(path: string): string | null {
  const ext = extname(path.replace(/\.gz$/, '')).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.parquet') return 'parquet';
  if (['.db', '.sqlite', '.sqlite3'].includes(ext)) return 'aa-sqlite';
  if (ext !== '.csv') return null;
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const header = head.subarray(0, n).toString('utf8').split(/\r?\n/)[0].split(',');
  if (header.includes('event_id') && header.includes('event_type')) return 'umami-csv';
  if (header.includes('pageviews') || header.includes('visitors')) return 'plausible-csv';
  return 'csv';
}

function report(job: ImportJob): string {
  const lines = [`import ${job.id} into ${job.project}: ${job.status}`, table(['READ', 'IMPORTED', 'SKIPPED'], [[job.rows_read, job.rows_imported, job.rows_skipped]])];
  const reasons = Object.entries(job.skipped);
  if (reasons.length) lines.push(`skipped: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  for (const e of job.examples) lines.push(`  ${e}`);
  if (job.error) lines.push(`error: ${job.error}`);
  return lines.join('\n');
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import a file (our export, Umami CSV, the official SQLite file, Plausible CSV) into a project',
  usage: `agent-analytics import <file> --project <name> [--format ${IMPORT_FORMATS.join('|')}] [--skip-invalid] [--source-project <name>] [--no-wait]`,
  options: { ...PROJECT_OPTION, format: { type: 'string' }, 'skip-invalid': { type: 'boolean' }, 'source-project': { type: 'string' }, 'no-wait': { type: 'boolean' } },
  async run(ctx, positionals, v) {
    const [file] = positionals;
    if (!file) throw new UsageError('the file to import is required');
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    const format = opt.str(v, 'format') ?? guessFormat(file);
    if (!format) throw new UsageError(`cannot tell the format of ${basename(file)} from its name; pass --format (${IMPORT_FORMATS.join(', ')})`);
    if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    const client = ctx.client();
    const upload = progress(ctx, 'upload', 'bytes');
    let sent = 0;
    async function* body() {
      for await (const chunk of createReadStream(file)) {
        sent += (chunk as Buffer).length;
        upload.update(sent, size);
        yield chunk as Uint8Array;
      }
    }
    let job = await client.importFile({
      project: projectOf(v), format: format as never, filename: basename(file),
      ...(opt.bool(v, 'skip-invalid') ? { skip_invalid: '1' } : {}), ...(opt.str(v, 'source-project') ? { source_project: opt.str(v, 'source-project') } : {}),
    } as never, body(), size);
    upload.stop();
    if (!opt.bool(v, 'no-wait')) {
      const bar = progress(ctx, 'import', 'rows');
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        job = await client.importJob(job.id);
        bar.update(job.rows_imported + job.rows_skipped, job.rows_imported + job.rows_skipped > 0 ? job.rows_read : null, { status: job.status });
      }
      bar.stop();
    }
    ctx.out(ctx.json ? JSON.stringify({ job }, null, 2) : report(job));
    return job.status === 'failed' ? EXIT.BAD_REQUEST : EXIT.OK;
  },
};
