// Appendix A: POST /identify maps an anonymous id to a user id in one project, rewrites the stored
// events and makes ingestion canonicalise later ones. Token auth with /track's own steps (src/ingest/).
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT } from '../body.js';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { botStep } from '../../ingest/bot.js';
import { type Drop, drop, invalid, isDrop } from '../../ingest/drop.js';
import { originStep, rateLimitStep, type Headers } from '../../ingest/pipeline.js';
import type { IngestService } from '../../ingest/service.js';
import { type Json, own, parseBody } from '../../ingest/validate.js';
import { errors } from '../../schemas/common.js';
import { BotDroppedResponse, TrackAcceptedResponse, TrackTokenQuery } from '../../schemas/ingest.js';

const MAX_ID = 256;

const IdentifyBody = Type.Object({
  token: Type.String({ description: 'Project token (aat_…)' }),
  previous_id: Type.String({ description: 'The id events were sent with so far (e.g. the tracker\'s anon_…), ≤ 256 chars' }),
  user_id: Type.String({ description: 'The canonical user id, ≤ 256 chars, different from previous_id' }),
  traits: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Accepted from the tracker; not stored' })),
});

/** An id field: present, a string of 1–256 characters (MISSING_FIELDS otherwise, as Appendix A says). */
function idField(body: Json, field: 'previous_id' | 'user_id'): string | Drop {
  const v = own(body, field);
  if (typeof v !== 'string' || v === '') return invalid('MISSING_FIELDS', `${field} is required: a non-empty string id; send {"token","previous_id","user_id"}`);
  if ([...v].length > MAX_ID) return invalid('MISSING_FIELDS', `${field} is longer than ${MAX_ID} characters`);
  return v;
}

/** The field checks of /identify (after token, origin and rate limit, like /track's step 6). */
export function identifyFields(body: Json): { previousId: string; userId: string } | Drop {
  const previousId = idField(body, 'previous_id');
  if (isDrop(previousId)) return previousId;
  const userId = idField(body, 'user_id');
  if (isDrop(userId)) return userId;
  if (previousId === userId) return invalid('MISSING_FIELDS', 'user_id must differ from previous_id: identify maps an old (anonymous) id to a new one');
  const traits = own(body, 'traits');
  if (traits !== undefined && traits !== null && (typeof traits !== 'object' || Array.isArray(traits))) {
    return invalid('INVALID_BODY', 'traits must be a JSON object when present');
  }
  return { previousId, userId };
}

/**
 * Record previous → user for the project and rewrite history. The map is written first and every replica's
 * ingest cache is invalidated, so new events arrive canonical; then the writer's queue is drained (an empty
 * submit resolves after everything queued before it is stored, and throws a 503 while the store cannot take
 * it) so events resolved under the old map are rewritten too. Identify is idempotent: a retry after a 503
 * finishes the rewrite.
 */
export async function identify(ctx: AppContext, service: IngestService, projectId: string, previousId: string, userId: string): Promise<void> {
  const { meta, events, counters } = ctx.stores;
  await meta.setIdentity(projectId, previousId, userId);
  await counters.invalidate('identities', projectId);
  await service.writer.submit([]);
  await events.reassignUser(projectId, previousId, userId);
}

export async function identifyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const service = ctx.ingest;

  // Its own scope, as /track: the body is text whatever the Content-Type, and the checks run in /track's order.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.setValidatorCompiler(() => () => true);
    scope.post('/identify', {
      config: { access: 'token' },
      schema: {
        tags: ['track'], security: [], summary: 'Map an anonymous id to a user id (rewrites stored events; later events are canonicalised)',
        body: IdentifyBody, querystring: TrackTokenQuery,
        response: { 202: TrackAcceptedResponse, 200: BotDroppedResponse, ...errors(400, 401, 403, 413, 429, 503) },
      },
    }, (request, reply) => handle(ctx, service, request, reply));
  });
}

async function handle(ctx: AppContext, service: IngestService, request: FastifyRequest, reply: FastifyReply) {
  const headers: Headers = {};
  let projectId: string | null = null;
  const refuse = (d: Drop) => {
    service.drops.count(d, projectId, 0);
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    if (d.error) throw d.error;
    return reply.code(200).send({ ok: true, queued: false, dropped: 'bot' });
  };
  const bot = botStep(request.headers['user-agent']);
  const body = parseBody(request.body);
  const queryToken = (request.query as Record<string, unknown> | undefined)?.token;
  const token = isDrop(body) ? queryToken : own(body, 'token') ?? queryToken;
  if (bot) {
    // Best-effort attribution for /bot-traffic; the answer is the same 200 either way.
    if (typeof token === 'string') projectId = (await service.directory.byToken(token).catch(() => null))?.project.id ?? null;
    return refuse(bot);
  }
  if (isDrop(body)) return refuse(body);
  const entry = typeof token === 'string' && token !== '' ? await service.directory.byToken(token) : null;
  if (!entry) {
    return refuse(drop('invalid_token', unauthorized('INVALID_TOKEN', 'project token missing, unknown or revoked: send the project\'s token (aat_…) as "token" in the body (or ?token=)')));
  }
  projectId = entry.project.id;
  const denied = originStep(entry, request.headers.origin);
  if (denied) return refuse(denied);
  const limited = await rateLimitStep(ctx.stores.counters, entry, headers);
  if (limited) return refuse(limited);
  const fields = identifyFields(body);
  if (isDrop(fields)) return refuse(fields);

  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  await identify(ctx, service, projectId, fields.previousId, fields.userId);
  if (request.headers.origin !== undefined) reply.header('Access-Control-Allow-Origin', request.headers.origin).header('Vary', 'Origin');
  return reply.code(202).send({ ok: true, queued: true });
}
