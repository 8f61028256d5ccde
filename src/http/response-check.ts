// Development and test guard: every JSON response body is validated against the response schema its route
// declares for that status, so the documented shapes (OpenAPI, MCP, client types) cannot drift from what the
// server sends. A mismatch replaces the answer with a 500 RESPONSE_SCHEMA_MISMATCH naming the field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Compile, type Validator } from 'typebox/compile';

const compiled = new WeakMap<object, Validator>();

/** The route's schema for this status; undefined for routes outside the documented API (hidden or schemaless). */
function schemaFor(request: FastifyRequest, status: number): object | null | undefined {
  const schema = request.routeOptions.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
  if (!schema || schema.hide || !request.routeOptions.url) return undefined;
  const s = schema.response?.[status] ?? schema.response?.[`${String(status)[0]}xx`] ?? schema.response?.default;
  return s && typeof s === 'object' ? (s as object) : null;
}

function check(request: FastifyRequest, reply: FastifyReply, payload: unknown): string | null {
  if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('application/json')) return null;
  const schema = schemaFor(request, reply.statusCode);
  if (schema === undefined) return null;
  if (schema === null) return `no response schema for status ${reply.statusCode}`;
  let validator = compiled.get(schema);
  if (!validator) compiled.set(schema, (validator = Compile(schema as never) as Validator));
  const body: unknown = JSON.parse(payload);
  if (validator.Check(body)) return null;
  const [e] = validator.Errors(body);
  return `${e?.instancePath || '(body)'} ${e?.message ?? 'does not match'} ${e?.params ? JSON.stringify(e.params) : ''}`.trim();
}

export function installResponseCheck(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const problem = check(request, reply, payload);
    if (problem === null) return payload;
    const where = `${request.method} ${request.routeOptions.url ?? request.url} → ${reply.statusCode}`;
    reply.code(500);
    return JSON.stringify({ error: 'RESPONSE_SCHEMA_MISMATCH', message: `${where}: ${problem}`, body: String(payload).slice(0, 2000) });
  });
}
