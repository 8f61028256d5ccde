// POST /import streams the uploaded file to disk (never into memory) and queues an import job; GET /import/{id}
// reports its progress and, once finished, rows read, imported and skipped with reasons (docs/portability.md).
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Static, Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { ImportJob } from '../../store/ports.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { deferQueryVerdict, validQuery } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { IMPORT_FORMATS, ImportJobObject, ImportQuery, type ImportJobView } from '../../schemas/portability.js';
import { flag } from './export.js';

/** Uploads above this are refused (413) while they stream in. */
export const MAX_IMPORT_BYTES = 8 * 1024 ** 3;

async function jobView(ctx: AppContext, job: ImportJob): Promise<ImportJobView> {
  const project = await ctx.stores.meta.getProject(job.project_id);
  const { account_id: _a, project_id: _p, options: _o, ...rest } = job;
  return { ...rest, project: project?.name ?? job.project_id };
}

/** Count bytes as they pass and fail past the limit. */
function limit(max: number): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      n += chunk.length;
      if (n > max) done(new ApiError(413, 'INVALID_BODY', `the upload exceeds ${max / 1024 ** 3} GiB; split the file (e.g. one export per year) and import each part`));
      else done(null, chunk);
    },
  });
}

export async function importRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    // The body is the file, any Content-Type: handed over as a stream, written to disk as it arrives.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.post('/import', {
      config: { access: 'apiKey', scope: 'owner' },
      // The query's verdict is answered in the handler (http/body.ts): PROJECT_REQUIRED and each field's own code.
      ...deferQueryVerdict,
      schema: {
        tags: ['portability'], security: apiKeySecurity,
        summary: 'Upload a file to import into a project; answers 202 with the job to poll (beyond the contract)',
        querystring: ImportQuery,
        response: { 202: Type.Object({ job: ImportJobObject }), ...errors(400, 401, 404, 413, 429) },
      },
    }, async (request, reply) => {
      const q = validQuery<Static<typeof ImportQuery>>(request);
      const body = request.body as Readable | undefined;
      const format = q.format;
      const skipInvalid = flag(q.skip_invalid);
      const filename = q.filename ? q.filename.slice(0, 256) : null;
      const sourceProject = q.source_project || null;
      const project = await readProject(ctx, request, q.project);
      if (!body || typeof body.pipe !== 'function') throw badRequest('INVALID_BODY', 'send the file as the request body (e.g. curl --data-binary @events.ndjson)');
      const { id, path } = ctx.imports.uploadPath();
      let bytes = 0;
      body.on('data', (c: Buffer) => (bytes += c.length));
      try {
        await pipeline(body, limit(MAX_IMPORT_BYTES), createWriteStream(path));
      } catch (err) {
        await rm(path, { force: true });
        if (err instanceof ApiError) throw err;
        throw badRequest('INVALID_BODY', `the upload did not complete (${(err as Error).message}); send it again`);
      }
      if (bytes === 0) {
        await rm(path, { force: true });
        throw badRequest('INVALID_BODY', 'the request body is empty: send the file as the body (e.g. curl --data-binary @events.ndjson)');
      }
      const job = await ctx.imports.submit(id, path, callerAccount(request).id, { project, format, filename, skipInvalid, sourceProject });
      return reply.code(202).send({ job: await jobView(ctx, job) });
    });
  });

  app.get('/import/:id', {
    config: { access: 'apiKey', scope: 'owner' },
    schema: {
      tags: ['portability'], security: apiKeySecurity,
      summary: 'An import job: status, progress, and the final report (rows read, imported, skipped with reasons)',
      params: Type.Object({ id: Type.String() }),
      response: { 200: Type.Object({ job: ImportJobObject }), ...errors(401, 404, 429) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const job = await ctx.stores.meta.getImportJob(callerAccount(request).id, id);
    if (!job) throw notFound(`no import job ${id} in this account; POST /import answers with the job id`);
    return { job: await jobView(ctx, job) };
  });
}
