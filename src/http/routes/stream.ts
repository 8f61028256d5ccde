// E16 GET /stream: live Server-Sent Events over the LiveBus, with Last-Event-ID resume and a per-account stream cap.
import { type Static, Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { ApiError } from '../../errors.js';
import { parseStreamFilter, streamMatcher } from '../../reports/stream-filter.js';
import type { LiveEvent } from '../../store/ports.js';
import { callerAccount, readProjectOrDefault } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { StreamEventObject, StreamQuery } from '../../schemas/realtime.js';
import { type CloseReason, SseConnection, sseFrame } from '../sse.js';

/** The `track` frame's data, serialised once per event however many streams of the project receive it. */
function trackFrames() {
  const cache = new WeakMap<LiveEvent, { project: string; frame: string }>();
  return (e: LiveEvent, project: string): string => {
    const hit = cache.get(e);
    if (hit && hit.project === project) return hit.frame;
    const shape: Static<typeof StreamEventObject> = {
      id: e.id, project, event: e.event, properties: e.properties, user_id: e.user_id,
      session_id: e.session_id, timestamp: e.timestamp, country: e.country,
    };
    const data = JSON.stringify(shape);
    const frame = sseFrame('track', data, e.id);
    cache.set(e, { project, frame });
    return frame;
  };
}

export async function streamRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { bus, counters } = ctx.stores;
  const live = ctx.config.live;
  const open = new Set<SseConnection>();
  const frameFor = trackFrames();
  // A slot is a lease the Counters backend renews while the stream is held (Redis refreshes it every
  // ttl/3); the TTL only bounds how long a crashed replica's streams keep counting against the account.
  const slotTtlSec = 60;

  // Open streams never go idle, so the server could not close until they end: end them first.
  app.addHook('preClose', async () => {
    for (const conn of open) conn.end('shutdown');
  });

  // The SSE reply is not JSON, so the query is typed directly rather than through the type provider.
  app.get<{ Querystring: Static<typeof StreamQuery> }>('/stream', {
    config: { access: 'apiKey', scope: 'live:read' },
    schema: {
      tags: ['stream'], security: apiKeySecurity, summary: 'Live Server-Sent Events of accepted events',
      description: 'text/event-stream: one `connected` frame, then a `track` frame (with an `id:` line) per matching event, '
        + `and a ":heartbeat" comment every ${live.heartbeatMs / 1000} s. Send Last-Event-ID to resume from the live buffer. `
        + `At most ${live.maxStreams} concurrent streams per account.`,
      querystring: StreamQuery,
      response: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: Type.String() } } },
        ...errors(400, 401, 404, 429),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const account = callerAccount(request);
    const project = await readProjectOrDefault(ctx, request, q.project);
    const filters = parseStreamFilter(q.events, q.filter);
    const matches = streamMatcher(filters);
    // HEAD (added by Fastify for every GET) checks access without holding a stream slot open.
    if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').header('Cache-Control', 'no-cache').send();

    const release = await counters.acquire(`streams:${account.id}`, live.maxStreams, slotTtlSec);
    if (!release) {
      throw new ApiError(429, 'STREAM_LIMIT', `at most ${live.maxStreams} concurrent streams per account; close another stream and retry`, {}, { 'Retry-After': 5 });
    }

    const res = reply.raw;
    reply.hijack();
    let unsubscribe = (): void => {};
    const conn = new SseConnection(res, live, (reason: CloseReason) => {
      open.delete(conn);
      unsubscribe();
      void release().catch((err) => request.log.error({ err }, 'stream slot release failed'));
      const log = reason === 'slow' ? request.log.warn.bind(request.log) : request.log.debug.bind(request.log);
      log({ project: project.name, reason }, 'stream closed');
    });
    if (request.raw.socket?.destroyed) return conn.end('client'); // gone while we looked things up
    open.add(conn);

    // Hijacked: Fastify's onSend hooks will not run, so carry its headers (rate limit, CORS) ourselves.
    const carried = Object.entries(reply.getHeaders()).filter((kv): kv is [string, string | number | string[]] => kv[1] !== undefined);
    res.writeHead(200, {
      ...Object.fromEntries(carried),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Credentials': 'false',
    });
    request.raw.socket?.setNoDelay(true);
    conn.send(sseFrame('connected', JSON.stringify({ project: project.name, filters })));

    // Replay and subscribe in one synchronous step: publish() cannot run in between, so nothing is lost or doubled.
    const lastEventId = request.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId.trim()) {
      for (const e of bus.since(project.id, lastEventId.trim())) if (matches(e)) conn.send(frameFor(e, project.name), true);
    }
    if (conn.isClosed) return;
    unsubscribe = bus.subscribe(project.id, (e) => {
      if (matches(e)) conn.send(frameFor(e, project.name), true);
    });
  });
}
