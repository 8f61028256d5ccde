// Request bodies: at most BODY_LIMIT bytes, and an empty body is no body, whatever the Content-Type. The official CLI sends
// `Content-Type: application/json` on every request, including bodiless DELETEs and POSTs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../errors.js';
import { bodyError } from './errors.js';

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

/**
 * Routes whose body schema is the validator but whose verdict waits for the project and auth checks (§1.3 order:
 * PROJECT_REQUIRED and the project lookup answer before any body error). Fastify validates the body against the
 * route's schema and attaches the verdict; the handler reads it with `validBody` once the project is resolved.
 */
export const deferBodyVerdict = { attachValidation: true } as const;

/** The body the route's schema accepted, or its verdict as the contract's 400 (the code the failing field declares). */
export function validBody<T>(request: FastifyRequest): T {
  const failed = request.validationError as (Error & { validation?: Parameters<typeof bodyError>[0][]; validationContext?: string }) | undefined;
  const first = failed?.validation?.[0];
  if (failed && failed.validationContext === 'body' && first) throw bodyError(first, request.routeOptions.schema?.body);
  if (failed) throw badRequest('INVALID_BODY', failed.message);
  return request.body as T;
}
