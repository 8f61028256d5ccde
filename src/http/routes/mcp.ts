// POST /mcp: the MCP server over streamable HTTP (stateless, JSON responses), authenticated by the API key.
// Its tools call the API in-process through app.inject, so auth, limits and accounting match plain HTTP calls;
// the MCP messages themselves (initialize, tools/list, …) are not metered, exactly as over stdio.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { Type } from 'typebox';
import { AnalyticsClient, type HttpTransport } from '../../client/client.js';
import type { AppContext } from '../../context.js';
import { createMcpServer } from '../../mcp/server.js';
import { ApiError } from '../errors.js';
import { apiKeySecurity, ErrorBody, errors } from '../../schemas/common.js';

/** A JSON-RPC 2.0 response (a result or an error) or a batch of them; MCP defines what is inside. */
const JsonRpcResponse = Type.Union([
  Type.Object({ jsonrpc: Type.Literal('2.0') }, { additionalProperties: true }),
  Type.Array(Type.Object({ jsonrpc: Type.Literal('2.0') }, { additionalProperties: true })),
]);
/** 400/406: the API's own error body (auth, host), or the MCP transport's JSON-RPC error (bad message, Accept). */
const JsonRpcOrError = Type.Union([ErrorBody, JsonRpcResponse]);

/** Tool calls re-enter the app with the caller's host, so snippets and URLs name the public address. */
function injectTransport(app: FastifyInstance, outer: FastifyRequest): HttpTransport {
  const forwarded = Object.fromEntries(['host', 'x-forwarded-proto', 'x-forwarded-host'].flatMap((h) => {
    const v = outer.headers[h];
    return typeof v === 'string' ? [[h, v]] : [];
  }));
  return async (req) => {
    const res = await app.inject({ method: req.method as HTTPMethods, url: req.path, headers: { ...req.headers, ...forwarded }, payload: req.body });
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
  };
}

export async function mcpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/mcp', {
    config: { access: 'apiKeyUnmetered', scope: 'any', hostGuard: true },
    schema: {
      tags: ['mcp'], security: apiKeySecurity,
      summary: 'Model Context Protocol endpoint (streamable HTTP, stateless, JSON responses)',
      description: 'JSON-RPC 2.0 messages of MCP (initialize, tools/list, tools/call). Point an MCP client at {BASE_URL}/mcp with the X-API-Key header; send Accept: application/json, text/event-stream. Each tool call counts against the rate limit as the API request it makes; the MCP messages themselves do not. The Host header (and Origin, when sent) must name this server — a loopback name, the host of AA_PUBLIC_URL or one of AA_MCP_ALLOWED_HOSTS — else 403 FORBIDDEN (DNS-rebinding protection). A 401 carries WWW-Authenticate: Bearer realm="agent-analytics" without OAuth metadata: the API key is the only credential.',
      response: { 200: JsonRpcResponse, ...errors(401, 403), 400: JsonRpcOrError, 406: JsonRpcOrError },
    },
  }, async (request, reply) => {
    const client = new AnalyticsClient({ baseUrl: ctx.publicUrl(request), apiKey: request.apiKey, transport: injectTransport(app, request) });
    const server = createMcpServer(client);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers.set(k, v);
      const webRequest = new Request(`${ctx.publicUrl(request)}${request.url}`, { method: 'POST', headers, body: JSON.stringify(request.body ?? null) });
      const response = await transport.handleRequest(webRequest, { parsedBody: request.body });
      reply.code(response.status as 200);
      response.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'transfer-encoding') reply.header(name, value);
      });
      return reply.send(await response.text());
    } finally {
      await server.close();
    }
  });

  // Stateless server: no server-initiated SSE stream and no sessions to end (clients treat 405 as "not offered").
  const notAllowed = async () => {
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'this MCP endpoint is stateless: send JSON-RPC messages with POST /mcp', {}, { Allow: 'POST' });
  };
  app.get('/mcp', { config: { hostGuard: true }, schema: { hide: true } }, notAllowed);
  app.delete('/mcp', { config: { hostGuard: true }, schema: { hide: true } }, notAllowed);
}
