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

/**
 * The same for the routes that read JSON null as absent, as their contract does: no body (or `null`) is `{}`, and a
 * top-level field sent as null is left out before the schema sees it (`{"weights": null}` means the default).
 */
export const deferNullableBodyVerdict = {
  ...deferBodyVerdict,
  preValidation: async (request: FastifyRequest) => {
    const body = request.body;
    if (body === undefined || body === null) request.body = {};
    else if (typeof body === 'object' && !Array.isArray(body)) request.body = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  },
};

type Failure = Parameters<typeof bodyError>[0];
const verdictOf = (request: FastifyRequest) =>
  request.validationError as (Error & { validation?: Failure[]; validationContext?: string }) | undefined;

/** A failure as the contract's 400 (a missing field names every required field the body lacks). */
const failure = (request: FastifyRequest, first: Failure) => bodyError(first, request.routeOptions.schema?.body, request.body);

/**
 * The first part of a deferred verdict, for the routes that answer it before the project lookup (§1.3): a body
 * that is not a JSON object (400 INVALID_BODY naming `shape`, the fields to send) when `shape` is given. Answers
 * the body's fields for PROJECT_REQUIRED and the lookup.
 */
export function bodyObject(request: FastifyRequest, shape?: string): JsonObject {
  const first = verdictOf(request)?.validation?.[0];
  if (shape !== undefined && first && first.instancePath === '' && first.keyword === 'type') {
    throw badRequest('INVALID_BODY', `the body must be a JSON object ${shape}`);
  }
  return fieldsOf(request.body);
}

/**
 * §1.3 step 4, after PROJECT_REQUIRED and before the lookup: a missing required field, or any failure of one of
 * the `early` fields. The schema lists those fields first, so that ajv (which stops at the first failure) reports
 * them before the others.
 */
export function requiredFields(request: FastifyRequest, early: readonly string[] = []): void {
  const first = verdictOf(request)?.validation?.[0];
  if (!first || verdictOf(request)?.validationContext !== 'body') return;
  const missing = first.keyword === 'required' && first.instancePath === '';
  const field = missing ? (first.params as { missingProperty?: string }).missingProperty : first.instancePath.split('/')[1];
  if (missing || (field !== undefined && early.includes(field))) throw failure(request, first);
}

/** The body the route's schema accepted, or its verdict as the contract's 400 (the code the failing field declares). */
export function validBody<T>(request: FastifyRequest): T {
  const failed = verdictOf(request);
  const first = failed?.validation?.[0];
  if (failed && failed.validationContext === 'body' && first) throw failure(request, first);
  if (failed) throw badRequest('INVALID_BODY', failed.message);
  return request.body as T;
}

/**
 * A project-scoped body route's input in the contract's order (§1.3): a body that is not an object (with `shape`),
 * PROJECT_REQUIRED (from `lookup`), a missing required field or a failure of an `early` field, the project lookup,
 * then every other failure of the body schema.
 */
export async function projectAndBody<T, P>(
  request: FastifyRequest, lookup: (name: unknown) => Promise<P>, options: { shape?: string; early?: readonly string[] } = {},
): Promise<{ project: P; body: T }> {
  const { project: name } = bodyObject(request, options.shape);
  if (typeof name === 'string' && name !== '') requiredFields(request, options.early);
  const project = await lookup(name);
  return { project, body: validBody<T>(request) };
}
