// GET /export: every stored event of a project's date range as NDJSON, CSV or Parquet (docs/portability.md).
// The window comes from the planner (readWindow: the retention floor applied there, never here); the rows
// stream from the engine, piped with backpressure, gzip-compressed when asked.
import { mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { CONTENT_TYPES, countExport, exportEvents, exportTempDir } from '../../portability/export.js';
import { readWindow } from '../../query/plan.js';
import { readContext } from '../../query/run.js';
import { parseIsoInstant } from '../../query/time.js';
import { badRequest } from '../errors.js';
import { deferQueryVerdict, validQuery } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { ExportQuery } from '../../schemas/portability.js';
import { pickEncoding } from './tracker.js';

/** The oldest date an export asks for when `from` is absent; the planner raises it to the retention floor. */
const EARLIEST = '1970-01-01';

/** A YYYY-MM-DD the schema accepted that must also be a day of the calendar (2026-02-30 is not). */
function calendarDate(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '' || parseIsoInstant(value) !== null) return value || undefined;
  throw badRequest('MISSING_FIELDS', `${name} must be a UTC date YYYY-MM-DD (e.g. ${name}=2026-01-31), got ${JSON.stringify(value)}`);
}

/** A flag parameter the schema accepted (0, 1, true or false): on when 1 or true. */
export const flag = (value: string | undefined): boolean => value === '1' || value === 'true';

export async function exportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const tmpDir = exportTempDir(ctx.config.dataDir);
  app.get('/export', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    // The query's verdict is answered in the handler (http/body.ts): PROJECT_REQUIRED and each field's own code.
    ...deferQueryVerdict,
    schema: {
      tags: ['portability'], security: apiKeySecurity,
      summary: 'Every stored event of a date range as NDJSON, CSV or Parquet, streamed (beyond the contract)',
      querystring: ExportQuery,
      response: { 200: { type: 'string', description: 'The events, oldest first: NDJSON lines, CSV with a header row, or a Parquet file (docs/portability.md)' }, ...errors(400, 401, 404, 429) },
    },
  }, async (request, reply) => {
    const q = validQuery<Static<typeof ExportQuery>>(request);
    const format = q.format ?? 'ndjson';
    const from = calendarDate(q.from, 'from');
    const to = calendarDate(q.to, 'to');
    if (from !== undefined && to !== undefined && to < from) throw badRequest('MISSING_FIELDS', `to (${to}) is before from (${from}); swap them`);
    const gzipFile = flag(q.gzip);
    const project = await readProject(ctx, request, q.project);
    const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
    const window = readWindow(read, { from: from ?? EARLIEST, ...(to !== undefined ? { to } : {}) });
    mkdirSync(tmpDir, { recursive: true });
    const what = { store: read.store, dialect: read.dialect, projectId: project.id, from: window.from, to: window.to };
    reply.header('X-Export-Rows', await countExport(what));
    const body = await exportEvents({ ...what, format, tmpDir });
    const name = `${project.name}-${window.from}${window.to ? `-${window.to}` : ''}.${format}`;
    reply.header('X-Export-From', window.from);
    const gzip = gzipFile || (format !== 'parquet' && pickEncoding(request.headers['accept-encoding']) !== 'identity');
    if (!gzip) return reply.type(CONTENT_TYPES[format]).header('Content-Disposition', `attachment; filename="${name}"`).send(body);
    const zipped = pipeline(body, createGzip({ level: 6 }), (err) => err && request.log.warn({ err: err.message }, 'export stream ended early'));
    if (gzipFile) return reply.type('application/gzip').header('Content-Disposition', `attachment; filename="${name}.gz"`).send(zipped);
    return reply.type(CONTENT_TYPES[format]).header('Content-Encoding', 'gzip').header('Vary', 'Accept-Encoding').send(zipped);
  });
}
