// CORS per contract §1.9: `*` everywhere (ingestion may echo an allowed Origin), preflight answered with 204.
import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, X-API-Key, Authorization';

export function installCors(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('Access-Control-Allow-Origin')) reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Allow-Credentials', 'false');
    return payload;
  });
  app.options('*', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Access-Control-Allow-Methods', ALLOW_METHODS)
      .header('Access-Control-Allow-Headers', `${ALLOW_HEADERS}, Last-Event-ID`)
      .header('Access-Control-Max-Age', '86400');
    return reply.code(204).send();
  });
}
