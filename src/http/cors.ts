// CORS per contract §1.9: `*` everywhere (ingestion may echo an allowed Origin), preflight answered with 204.
// Beyond §1.9: the MCP transport headers may be sent (streamable HTTP clients send Mcp-Protocol-Version and,
// for stateful servers, Mcp-Session-Id), and browsers may read the headers a client acts on.
import type { FastifyInstance } from 'fastify';

const EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

/** On every answer (Access-Control-Allow-Origin is `*` unless a route echoes an allowed Origin). */
export const CORS_HEADERS = { 'Access-Control-Allow-Credentials': 'false', 'Access-Control-Expose-Headers': EXPOSE_HEADERS } as const;

/** On a preflight's 204, besides CORS_HEADERS. */
export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-API-Key, Authorization, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID',
  'Access-Control-Max-Age': '86400',
} as const;

export function installCors(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('Access-Control-Allow-Origin')) reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Allow-Credentials', CORS_HEADERS['Access-Control-Allow-Credentials']);
    if (!reply.hasHeader('Access-Control-Expose-Headers')) reply.header('Access-Control-Expose-Headers', CORS_HEADERS['Access-Control-Expose-Headers']);
    return payload;
  });
  app.options('*', { schema: { hide: true } }, async (_request, reply) => {
    reply.headers(PREFLIGHT_HEADERS);
    return reply.code(204).send();
  });
}
