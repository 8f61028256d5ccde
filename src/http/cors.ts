// CORS per contract §1.9: `*` everywhere (ingestion may echo an allowed Origin), preflight answered with 204.
// Beyond §1.9: the MCP transport headers may be sent (streamable HTTP clients send Mcp-Protocol-Version and,
// for stateful servers, Mcp-Session-Id), and browsers may read the headers a client acts on.
import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, X-API-Key, Authorization, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID';
const EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

export function installCors(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('Access-Control-Allow-Origin')) reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Allow-Credentials', 'false');
    if (!reply.hasHeader('Access-Control-Expose-Headers')) reply.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    return payload;
  });
  app.options('*', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Access-Control-Allow-Methods', ALLOW_METHODS)
      .header('Access-Control-Allow-Headers', ALLOW_HEADERS)
      .header('Access-Control-Max-Age', '86400');
    return reply.code(204).send();
  });
}
