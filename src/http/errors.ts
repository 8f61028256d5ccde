// One error type and one global handler: every failure leaves the server as {error, message}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { ApiError, badRequest, notFound } from '../errors.js';
import { redactSecrets } from './logging.js';
import { NOT_BLANK } from '../schemas/common.js';

export * from '../errors.js';

/**
 * The contract's code for a field, declared on the field's body schema (`failsWith`, schemas/common.ts). The
 * deepest annotation on the failing keyword's schema path wins (an absent field: the field's own `required`
 * code, else its object's); a field without one answers INVALID_BODY.
 */
export interface ErrorAnnotation {
  errorCode?: string | Record<string, string>;
  errorHint?: string;
  /**
   * The sentence for a failing keyword (`required` when the field is absent), in place of the mapper's own: a text
   * (a `type` failure still says what was sent: `, got an array`), or one made from the failing value where the
   * fix depends on it (a slug's example). The deepest annotation on the path wins, as for the code.
   */
  errorMessage?: Record<string, string | ((value: unknown) => string)>;
}

type Node = Record<string, unknown> & ErrorAnnotation;

/** `/steps/1/event` → `steps[1].event`; the root is `body`. */
function fieldName(instancePath: string, extra?: string): string {
  const parts = [...instancePath.split('/').slice(1), ...(extra === undefined ? [] : [extra])].map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((name, p) => (/^\d+$/.test(p) ? `${name}[${p}]` : name ? `${name}.${p}` : p), '') || 'body';
}

const article = (type: string) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : article(typeof v));

/** The value at a failure's instancePath, when the input is at hand. */
function valueAt(input: unknown, instancePath: string): { known: boolean; v: unknown } {
  if (input === undefined) return { known: false, v: undefined };
  let v: unknown = input;
  for (const p of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return { known: false, v: undefined };
    v = (v as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return { known: true, v };
}

/**
 * One body-schema failure (the first ajv reports) as the contract's 400: the code the schema declares, and a message
 * saying how to fix it. Given the `body`, a missing top-level field names every required field the body lacks.
 */
export function bodyError(e: FastifySchemaValidationError, schema: unknown, body?: unknown): ApiError {
  const segments = e.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  const keyword = segments.pop() ?? e.keyword;
  let code = 'INVALID_BODY';
  let hint: string | undefined;
  let says: string | ((value: unknown) => string) | undefined;
  const consider = (node: unknown, absent = false) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    const m = n.errorMessage?.[absent ? 'required' : keyword];
    if (m !== undefined) says = m;
    const c = typeof n.errorCode === 'string' ? n.errorCode : absent ? n.errorCode?.required : n.errorCode?.[keyword] ?? n.errorCode?.default;
    if (c !== undefined) {
      code = c;
      hint = n.errorHint;
    } else if (n.errorCode === undefined && n.errorHint !== undefined) hint = n.errorHint;
  };
  let node: unknown = schema;
  consider(node);
  for (const s of segments) {
    node = (node as Record<string, unknown> | undefined)?.[s.replace(/~1/g, '/').replace(/~0/g, '~')];
    consider(node);
  }
  const params = e.params as Record<string, unknown>;
  const field = fieldName(e.instancePath);
  const value = valueAt(body, e.instancePath);
  let message: string;
  if (keyword === 'required' && typeof params.missingProperty === 'string') {
    consider(((node as Node | undefined)?.properties as Record<string, unknown> | undefined)?.[params.missingProperty], true);
    const required = (node as Node | undefined)?.required;
    const fields = e.instancePath === '' && body !== null && typeof body === 'object' && Array.isArray(required) ? body as Record<string, unknown> : undefined;
    const missing = fields ? (required as string[]).filter((k) => fields[k] === undefined) : [];
    message = missing.length > 1 ? `${missing.join(', ')} are required` : `${fieldName(e.instancePath, params.missingProperty)} is required`;
  } else if (keyword === 'type' && typeof params.type === 'string') {
    const shape = params.type === 'object' && node !== null && typeof node === 'object' && (node as Node).properties ? ` {${Object.keys((node as Node).properties as object).join(', ')}}` : '';
    message = `${field} must be ${article(params.type)}${shape}${value.known ? `, got ${typeName(value.v)}` : ''}`;
  } else if (keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `${field} must be one of: ${params.allowedValues.join(', ')}`;
  } else if (keyword === 'maxLength' && typeof params.limit === 'number' && typeof value.v === 'string') {
    message = `${field} is ${[...value.v].length} characters; the limit is ${params.limit}`;
  } else if (keyword === 'maxItems' && typeof params.limit === 'number' && Array.isArray(value.v)) {
    message = `${field} has ${value.v.length} items; the limit is ${params.limit}`;
  } else if ((keyword === 'minLength' && params.limit === 1) || (keyword === 'pattern' && params.pattern === NOT_BLANK)) {
    message = `${field} must not be empty`;
  } else if (keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const allowed = Object.keys(((node as Node | undefined)?.properties as object | undefined) ?? {});
    message = `unknown field "${params.additionalProperty}" in ${e.instancePath ? field : 'the body'}; allowed: ${allowed.join(', ')}`;
  } else {
    message = `${field} ${e.message ?? 'is invalid'}`;
  }
  if (typeof says === 'function') message = says(value.v);
  else if (says !== undefined) message = keyword === 'type' && value.known ? `${says}, got ${typeName(value.v)}` : says;
  return badRequest(code, hint ? `${message}; ${hint}` : message);
}

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
    if (err.validationContext === 'body' && first) return bodyError(first, request.routeOptions.schema?.body);
    const where = first?.instancePath ? `${err.validationContext ?? 'body'}${first.instancePath.replace(/\//g, '.')}` : (err.validationContext ?? 'request');
    return badRequest('INVALID_BODY', `${where}: ${first?.message ?? 'invalid value'}`);
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode, err.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_BODY', err.message);
  }
  return null;
}

/** The body of every error answer: `{error, message}` plus the error's extra fields. */
export const errorPayload = (err: ApiError): Record<string, unknown> => ({ error: err.code, message: err.message, ...err.extra });

/** The answer to an unexpected failure: no detail of it leaves the server (the log has it). */
export const INTERNAL = new ApiError(500, 'INTERNAL_ERROR', 'internal error');

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.status).type('application/json').send(errorPayload(err));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const api = err instanceof ApiError ? err : fromFastify(err, request);
    if (api) {
      request.log.warn({ code: api.code, status: api.status, url: redactSecrets(request.url) }, api.message);
      return sendError(reply, api);
    }
    request.log.error({ err, url: redactSecrets(request.url) }, 'unhandled error');
    return sendError(reply, INTERNAL);
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendError(reply, notFound());
  });
}
