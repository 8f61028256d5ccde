// E1/E2: POST /track and /track/batch. Transport only: the body is read as text whatever the
// Content-Type (sendBeacon sends text/plain) and handed to the ingestion pipeline in src/ingest/.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT } from '../body.js';
import type { AppContext } from '../../context.js';
import { browserRequest } from '../../ingest/client.js';
import { countryFrom } from '../../ingest/enrich.js';
import { runIngest } from '../../ingest/pipeline.js';
import type { IngestService } from '../../ingest/service.js';
import { errors } from '../../schemas/common.js';
import {
  TrackBatchBody as BatchBody, BotDroppedResponse as BotDropped, TrackAcceptedResponse as Accepted, TrackBatchAcceptedResponse,
  TrackBody, TrackTokenQuery as TokenQuery,
} from '../../schemas/ingest.js';

export async function trackRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const service = ctx.ingest;

  // An encapsulated scope: its own body parsing (any type, as text) and documentation-only body schemas,
  // because the contract's check order (bot → JSON → token → …) must run in our code, not in Fastify's.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.setValidatorCompiler(() => () => true);
    const base = { tags: ['track'], querystring: TokenQuery, security: [] };

    scope.post('/track', {
      config: { access: 'token' },
      schema: {
        ...base, summary: 'Record one event (any Content-Type; the body is JSON)', body: TrackBody,
        response: { 202: Accepted, 200: BotDropped, ...errors(400, 401, 403, 413, 429, 503) },
      },
    }, (request, reply) => handle(ctx, service, request, reply, false));

    scope.post('/track/batch', {
      config: { access: 'token' },
      schema: {
        ...base, summary: 'Record up to 100 events in one all-or-nothing request', body: BatchBody,
        response: { 202: TrackBatchAcceptedResponse, 200: BotDropped, ...errors(400, 401, 403, 413, 429, 503) },
      },
    }, (request, reply) => handle(ctx, service, request, reply, true));
  });
}

async function handle(ctx: AppContext, service: IngestService, request: FastifyRequest, reply: FastifyReply, batch: boolean) {
  const origin = request.headers.origin;
  const outcome = await runIngest(service, ctx.stores.counters, {
    batch,
    body: request.body,
    userAgent: request.headers['user-agent'],
    origin,
    client: browserRequest(request.headers['user-agent'], origin, request.headers['sec-ch-ua-mobile']),
    queryToken: (request.query as Record<string, unknown> | undefined)?.token,
    country: ctx.config.countryHeader ? countryFrom(request.headers[ctx.config.countryHeader]) : null,
  });
  for (const [k, v] of Object.entries(outcome.headers)) reply.header(k, v);
  if (outcome.kind === 'refused') throw outcome.error;
  if (outcome.kind === 'bot') return reply.code(200).send({ ok: true, queued: false, dropped: 'bot' });
  if (origin !== undefined) reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
  return reply.code(202).send(batch ? { ok: true, queued: true, count: outcome.count } : { ok: true, queued: true });
}
