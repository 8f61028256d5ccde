// One error type and one global handler: every failure leaves the server as {error, message}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, badRequest, notFound } from '../errors.js';
import { redactSecrets } from './logging.js';

export * from '../errors.js';

/** Map Fastify's own errors (schema validation, body parsing, limits) onto the contract's codes. */
function fromFastify(err: FastifyError, request: FastifyRequest): ApiError | null {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError(413, 'INVALID_BODY', 'request body exceeds the 1 MB limit; send fewer or smaller events per request');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ApiError(415, 'INVALID_BODY', 'unsupported Content-Type; send application/json');
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return badRequest('INVALID_BODY', 'request body must be valid JSON');
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return badRequest('INVALID_BODY', 'request body must be valid JSON');
  if (err.validation) {
    const first = err.validation[0];
    // A repeated query parameter arrives as an array, which no parameter schema accepts.
    const param = err.validationContext === 'querystring' ? first?.instancePath.split('/')[1] : undefined;
    if (param && Array.isArray((request.query as Record<string, unknown> | undefined)?.[param])) {
      return badRequest('INVALID_BODY', `pass ${param} once: the query string repeats it`);
    }
    const where = first?.instancePath ? `${err.validationContext ?? 'body'}${first.instancePath.replace(/\//g, '.')}` : (err.validationContext ?? 'request');
    return badRequest('INVALID_BODY', `${where}: ${first?.message ?? 'invalid value'}`);
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode, err.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_BODY', err.message);
  }
  return null;
}

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.status).type('application/json').send({ error: err.code, message: err.message, ...err.extra });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const api = err instanceof ApiError ? err : fromFastify(err, request);
    if (api) {
      request.log.warn({ code: api.code, status: api.status, url: redactSecrets(request.url) }, api.message);
      return sendError(reply, api);
    }
    request.log.error({ err, url: redactSecrets(request.url) }, 'unhandled error');
    return sendError(reply, new ApiError(500, 'INTERNAL_ERROR', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendError(reply, notFound());
  });
}
