// The lean hot path (issue 15): a node:http request listener placed in front of Fastify that serves
// POST /track, POST /track/batch and their OPTIONS preflight itself, and hands every other request to
// Fastify. It does what the Fastify routes do (routes/track.ts declares the request and the answer for
// both; cors.ts the CORS headers; errors.ts the error body), without Fastify's request and reply objects,
// hook chains, per-request closures and child loggers: the body is read as bytes into one string, the
// answer is written with one writeHead + end. It keeps Fastify's transport rules: the 1 MB body limit
// (413, connection closed), a Content-Length that does not match (400), request logging at info with a
// Fastify request id, 4xx at warn, credentials redacted, and, once the app is closing, it steps aside so
// Fastify answers 503. buildApp routes app.inject() for these paths through the same listener, so every
// test of /track exercises this code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.js';
import { runIngest } from '../ingest/pipeline.js';
import { BODY_LIMIT } from './body.js';
import { CORS_HEADERS, PREFLIGHT_HEADERS } from './cors.js';
import { ApiError, badRequest, errorPayload, INTERNAL } from './errors.js';
import { redactSecrets } from './logging.js';
import { ingestAnswer, ingestRequest, JSON_TYPE } from './routes/track.js';

/** The paths this listener serves (Fastify's ignoreTrailingSlash included); null for any other. */
export function leanRoute(method: string | undefined, url: string | undefined): 'track' | 'batch' | null {
  if ((method !== 'POST' && method !== 'OPTIONS') || url === undefined) return null;
  const q = url.indexOf('?');
  switch (q === -1 ? url : url.slice(0, q)) {
    case '/track':
    case '/track/':
      return 'track';
    case '/track/batch':
    case '/track/batch/':
      return 'batch';
    default:
      return null;
  }
}

const EXPOSE = CORS_HEADERS['Access-Control-Expose-Headers'];
const PREFLIGHT = { 'Access-Control-Allow-Origin': '*', ...CORS_HEADERS, ...PREFLIGHT_HEADERS };
const TOO_LARGE = new ApiError(413, 'INVALID_BODY', 'request body exceeds the 1 MB limit; send fewer or smaller events per request');
const BAD_LENGTH = badRequest('INVALID_BODY', 'request body must be valid JSON');

/** One request in flight: what its body listeners need (kept on the request, so no closure per request). */
interface Exchange {
  res: ServerResponse;
  batch: boolean;
  chunks: Buffer[];
  size: number;
  /** Content-Length, NaN when absent. */
  expected: number;
  reqId: string | null;
  started: number;
  done: boolean;
}

const EXCHANGE = Symbol('lean-ingest');
type Req = IncomingMessage & { [EXCHANGE]?: Exchange };

export interface LeanIngestOptions {
  log: FastifyBaseLogger;
  /** Fastify's request-id generator, so log lines from both paths share one sequence. */
  genReqId: (req: IncomingMessage) => string;
  trustProxy: boolean;
}

/** The listener's front half: true when it took the request (the caller passes everything else to Fastify). */
export function leanIngest(ctx: AppContext, opts: LeanIngestOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { log } = opts;
  // Fastify's logger when logging is off has no levels at all.
  const pinoLog = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
  const enabled = (level: 'info' | 'warn'): boolean => pinoLog.isLevelEnabled?.(level) ?? false;

  function logRequest(req: IncomingMessage, reqId: string): void {
    const forwarded = opts.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    const ip = typeof forwarded === 'string' && forwarded ? forwarded.split(',')[0].trim() : req.socket?.remoteAddress;
    const host = opts.trustProxy && typeof req.headers['x-forwarded-host'] === 'string' ? req.headers['x-forwarded-host'] : req.headers.host;
    // The shape Fastify logs (the `req` serializer of logging.ts redacts the URL).
    log.info({ reqId, req: { method: req.method, url: req.url, host, ip, socket: req.socket } }, 'incoming request');
  }

  function send(req: Req, ex: Exchange, status: number, headers: Record<string, string | number>, body: string | null): void {
    if (ex.done) return;
    ex.done = true;
    req[EXCHANGE] = undefined;
    ex.res.writeHead(status, headers);
    ex.res.end(body ?? undefined);
    if (ex.reqId !== null) log.info({ reqId: ex.reqId, res: { statusCode: status }, responseTime: performance.now() - ex.started }, 'request completed');
  }

  function sendError(req: Req, ex: Exchange, err: ApiError, extra: Record<string, string | number> | null, close: boolean): void {
    if (enabled('warn')) log.warn({ reqId: ex.reqId ?? undefined, code: err.code, status: err.status, url: redactSecrets(req.url ?? '') }, err.message);
    const body = JSON.stringify(errorPayload(err));
    const headers: Record<string, string | number> = {
      'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body),
      'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'false', 'Access-Control-Expose-Headers': EXPOSE,
    };
    if (extra) Object.assign(headers, extra);
    Object.assign(headers, err.headers);
    if (close) headers.Connection = 'close';
    send(req, ex, err.status, headers, body);
  }

  async function ingest(req: Req, ex: Exchange, body: string): Promise<void> {
    try {
      const url = req.url!;
      const q = url.indexOf('?');
      const queryToken = q === -1 ? undefined : parseQuery(url.slice(q + 1)).token;
      const outcome = await runIngest(ctx.ingest, ctx.stores.counters, ingestRequest(ctx, ex.batch, req.headers, body, queryToken));
      if (outcome.kind === 'refused') return sendError(req, ex, outcome.error, outcome.headers, false);
      const answer = ingestAnswer(outcome, ex.batch, req.headers.origin);
      // The rate-limit headers object is this request's own: the answer's headers are added to it.
      const headers = outcome.headers;
      headers['Content-Type'] = JSON_TYPE;
      headers['Content-Length'] = answer.body.length; // ASCII
      headers['Access-Control-Allow-Origin'] = answer.allowOrigin ?? '*';
      headers['Access-Control-Allow-Credentials'] = 'false';
      headers['Access-Control-Expose-Headers'] = EXPOSE;
      if (answer.allowOrigin !== undefined) headers.Vary = 'Origin';
      send(req, ex, answer.status, headers, answer.body);
    } catch (err) {
      log.error({ reqId: ex.reqId ?? undefined, err, url: redactSecrets(req.url ?? '') }, 'unhandled error');
      sendError(req, ex, INTERNAL, null, false);
    }
  }

  function onData(this: Req, chunk: Buffer): void {
    const ex = this[EXCHANGE];
    if (!ex) return;
    ex.size += chunk.length;
    if (ex.size > BODY_LIMIT) {
      stopReading(this);
      return sendError(this, ex, TOO_LARGE, null, true);
    }
    ex.chunks.push(chunk);
  }

  function onEnd(this: Req): void {
    const ex = this[EXCHANGE];
    if (!ex) return;
    stopReading(this);
    if (!Number.isNaN(ex.expected) && ex.size !== ex.expected) return sendError(this, ex, BAD_LENGTH, null, true);
    const { chunks } = ex;
    const body = chunks.length === 1 ? chunks[0].toString('utf8') : chunks.length === 0 ? '' : Buffer.concat(chunks, ex.size).toString('utf8');
    ex.chunks = [];
    void ingest(this, ex, body);
  }

  function onError(this: Req): void {
    const ex = this[EXCHANGE];
    if (!ex) return;
    stopReading(this);
    sendError(this, ex, BAD_LENGTH, null, true);
  }

  function stopReading(req: Req): void {
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('error', onError);
  }

  return function serve(req: Req, res: ServerResponse): boolean {
    const route = leanRoute(req.method, req.url);
    if (route === null) return false;
    const reqId = enabled('info') ? opts.genReqId(req) : null;
    if (reqId !== null) logRequest(req, reqId);
    const ex: Exchange = { res, batch: route === 'batch', chunks: [], size: 0, expected: Number(req.headers['content-length']), reqId, started: reqId === null ? 0 : performance.now(), done: false };
    if (req.method === 'OPTIONS') {
      // Any body of a preflight is left unread, as Fastify's OPTIONS route leaves it.
      send(req, ex, 204, PREFLIGHT, null);
      return true;
    }
    if (ex.expected > BODY_LIMIT) {
      // Answered before reading: the connection is closed after the answer, as the client keeps sending.
      sendError(req, ex, TOO_LARGE, null, true);
      req.resume();
      return true;
    }
    req[EXCHANGE] = ex;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    return true;
  };
}
