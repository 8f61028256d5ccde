// Request bodies: at most BODY_LIMIT bytes, and an empty body is no body, whatever the Content-Type. The official CLI sends
// `Content-Type: application/json` on every request, including bodiless DELETEs and POSTs.
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';

/** Request bodies above 1 MB are refused (contract §1.1: 413 INVALID_BODY). */
export const BODY_LIMIT = 1_048_576;

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parse(request, body as string, done);
  });
}

type JsonObject = Record<string, unknown>;

/**
 * A body route's input before its rules check the fields: an absent (or JSON null) body is the empty object;
 * any other non-object is 400 INVALID_BODY `the body must be a JSON object <shape>`. The rules then answer each
 * field with the contract's own code and message, in the contract's order (§1.3), which is why these routes
 * attach their body schema's verdict instead of answering it.
 */
export function objectBody(body: unknown, shape: string): JsonObject {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('INVALID_BODY', `the body must be a JSON object ${shape}`.trimEnd());
  return body as JsonObject;
}

/** The analytics reads' variant: a body that is not an object carries no fields, so PROJECT_REQUIRED answers first. */
export const fieldsOf = (body: unknown): JsonObject => (body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {});
