// Request bodies: at most BODY_LIMIT bytes, and an empty body is no body, whatever the Content-Type. The official CLI sends
// `Content-Type: application/json` on every request, including bodiless DELETEs and POSTs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiError, badRequest } from '../errors.js';
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

/** A body's (or query's) fields: one that is not an object carries none, so PROJECT_REQUIRED answers first. */
export const fieldsOf = (body: unknown): JsonObject => (body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {});

/** No body (or JSON null) is the empty object, as every body route reads it, before the schema sees it. */
async function absentIsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/**
 * Routes whose body schema is the validator but whose verdict waits for the project and auth checks (§1.3 order:
 * PROJECT_REQUIRED and the project lookup answer before any body error). Fastify validates the body against the
 * route's schema and attaches the verdict; the handler reads it with `validBody` once the project is resolved.
 */
export const deferBodyVerdict = { attachValidation: true, preValidation: absentIsEmpty } as const;

/**
 * The same for the routes that read JSON null as absent, as their contract does: a top-level field sent as null
 * is left out before the schema sees it (`{"weights": null}` means the default).
 */
export const deferNullableBodyVerdict = {
  attachValidation: true,
  preValidation: async (request: FastifyRequest) => {
    await absentIsEmpty(request);
    const body = request.body;
    if (typeof body === 'object' && !Array.isArray(body)) request.body = Object.fromEntries(Object.entries(body as JsonObject).filter(([, v]) => v !== null));
  },
};

/** A query string whose verdict the handler answers (`validQuery`, `projectAndInput`) after the checks before it. */
export const deferQueryVerdict = { attachValidation: true } as const;

type Failure = Parameters<typeof bodyError>[0];
type Verdict = Error & { validation?: Failure[]; validationContext?: string };
const verdictOf = (request: FastifyRequest) => request.validationError as Verdict | undefined;

/** A failure as the contract's 400, read against the schema that failed (a missing field names every required one the input lacks). */
function failure(request: FastifyRequest, verdict: Verdict, first: Failure): Error {
  const query = verdict.validationContext === 'querystring';
  return bodyError(first, request.routeOptions.schema?.[query ? 'querystring' : 'body'], query ? request.query : request.body);
}

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
 * them before the others. A `blank` field's failures count as missing where its schema answers them MISSING_FIELDS
 * (a message of spaces).
 */
export function requiredFields(request: FastifyRequest, early: readonly string[] = [], blank: readonly string[] = []): void {
  const verdict = verdictOf(request);
  const first = verdict?.validation?.[0];
  if (!verdict || !first) return;
  const missing = first.keyword === 'required' && first.instancePath === '';
  const field = missing ? (first.params as { missingProperty?: string }).missingProperty : first.instancePath.split('/')[1];
  if (missing || (field !== undefined && early.includes(field))) throw failure(request, verdict, first);
  // A `blank` field sent empty is missing too, where its schema answers that failure MISSING_FIELDS.
  if (field !== undefined && blank.includes(field)) {
    const err = failure(request, verdict, first);
    if ((err as ApiError).code === 'MISSING_FIELDS') throw err;
  }
}

/** Answers a deferred verdict: the first failure as the contract's 400 (the code the failing field declares). */
function answerVerdict(request: FastifyRequest): void {
  const verdict = verdictOf(request);
  const first = verdict?.validation?.[0];
  if (verdict && first && (verdict.validationContext === 'body' || verdict.validationContext === 'querystring')) throw failure(request, verdict, first);
  if (verdict) throw badRequest('INVALID_BODY', verdict.message);
}

/** The body the route's schema accepted, or its verdict as the contract's 400 (the code the failing field declares). */
export function validBody<T>(request: FastifyRequest): T {
  answerVerdict(request);
  return request.body as T;
}

/** The same for a query string whose verdict waits for a check before it (the owner key, the tier). */
export function validQuery<T>(request: FastifyRequest): T {
  answerVerdict(request);
  return request.query as T;
}

/**
 * A project-scoped route's input (its body, or its query string when it has no body schema) in the contract's
 * order (§1.3): a body that is not an object (with `shape`), PROJECT_REQUIRED (from `lookup`), `before` (a check
 * of its own), a missing required field or a failure of an `early` field, the project lookup, then every other
 * failure of the schema.
 */
export async function projectAndInput<T, P>(
  request: FastifyRequest, lookup: (name: unknown) => Promise<P>,
  options: { shape?: string; early?: readonly string[]; before?: (fields: JsonObject) => void } = {},
): Promise<{ project: P; input: T }> {
  const query = request.routeOptions.schema?.body === undefined;
  const fields = query ? fieldsOf(request.query) : bodyObject(request, options.shape);
  if (typeof fields.project === 'string' && fields.project !== '') {
    options.before?.(fields);
    requiredFields(request, options.early);
  }
  const project = await lookup(fields.project);
  return { project, input: query ? validQuery<T>(request) : validBody<T>(request) };
}
