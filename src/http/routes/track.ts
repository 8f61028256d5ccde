// E1/E2: POST /track and /track/batch. Transport only: the body is read as text whatever the
// Content-Type (sendBeacon sends text/plain) and handed to the ingestion pipeline in src/ingest/.
// What a request means (ingestRequest) and what its outcome answers (ingestAnswer) are declared here once
// and used by two transports: the lean node:http listener that serves these routes in production
// (src/http/lean-ingest.ts, in front of Fastify), and the Fastify routes below, which document them in
// OpenAPI and answer whatever the lean listener passes on (e.g. a path with `;` parameters).
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT } from '../body.js';
import type { AppContext } from '../../context.js';
import { browserRequest } from '../../ingest/client.js';
import { countryFrom } from '../../ingest/enrich.js';
import { type IngestOutcome, type IngestRequest, runIngest } from '../../ingest/pipeline.js';
import { errors } from '../../schemas/common.js';
import {
  TrackBatchBody as BatchBody, BotDroppedResponse as BotDropped, TrackAcceptedResponse as Accepted, TrackBatchAcceptedResponse,
  TrackBody, TrackTokenQuery as TokenQuery,
} from '../../schemas/ingest.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
const ACCEPTED = JSON.stringify({ ok: true, queued: true });
const BOT_DROPPED = JSON.stringify({ ok: true, queued: false, dropped: 'bot' });

/** The pipeline's input from a request's headers, its body (text, or undefined when none) and its ?token=. */
export function ingestRequest(ctx: AppContext, batch: boolean, headers: IncomingHttpHeaders, body: unknown, queryToken: unknown): IngestRequest {
  const userAgent = headers['user-agent'];
  const origin = headers.origin;
  return {
    batch, body, userAgent, origin, queryToken,
    client: browserRequest(userAgent, origin, headers['sec-ch-ua-mobile']),
    country: ctx.config.countryHeader ? countryFrom(headers[ctx.config.countryHeader]) : null,
  };
}

/**
 * What an outcome answers, besides its `headers` (the rate-limit headers) and the CORS headers every answer
 * gets: a refusal is its ApiError (`{error, message}` with the error's status and headers); a bot gets 200;
 * an accepted request 202, and a browser's allowed Origin is echoed (with `Vary: Origin`).
 */
export function ingestAnswer(outcome: Exclude<IngestOutcome, { kind: 'refused' }>, batch: boolean, origin: string | undefined): { status: number; body: string; allowOrigin: string | undefined } {
  if (outcome.kind === 'bot') return { status: 200, body: BOT_DROPPED, allowOrigin: undefined };
  return { status: 202, body: batch ? `{"ok":true,"queued":true,"count":${outcome.count}}` : ACCEPTED, allowOrigin: origin };
}

export async function trackRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
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
    }, (request, reply) => handle(ctx, request, reply, false));

    scope.post('/track/batch', {
      config: { access: 'token' },
      schema: {
        ...base, summary: 'Record up to 100 events in one all-or-nothing request', body: BatchBody,
        response: { 202: TrackBatchAcceptedResponse, 200: BotDropped, ...errors(400, 401, 403, 413, 429, 503) },
      },
    }, (request, reply) => handle(ctx, request, reply, true));
  });
}

async function handle(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, batch: boolean) {
  const origin = request.headers.origin;
  const queryToken = (request.query as Record<string, unknown> | undefined)?.token;
  const outcome = await runIngest(ctx.ingest, ctx.stores.counters, ingestRequest(ctx, batch, request.headers, request.body, queryToken));
  reply.headers(outcome.headers);
  if (outcome.kind === 'refused') throw outcome.error;
  const { status, body, allowOrigin } = ingestAnswer(outcome, batch, origin);
  if (allowOrigin !== undefined) reply.header('Access-Control-Allow-Origin', allowOrigin).header('Vary', 'Origin');
  return reply.code(status).type(JSON_TYPE).send(body);
}
