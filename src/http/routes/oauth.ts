// The MCP authorization flow (OAuth 2.1 + PKCE S256, RFC 9728 / RFC 8414 metadata, RFC 7591 registration),
// so an MCP client connects to POST /mcp with no pasted key: its 401 names the protected-resource metadata,
// which names this server as the authorization server; the client registers, sends the person to
// /oauth/authorize — the agent-session approval page — and trades the code at /oauth/token for the same
// aas_/aar_ tokens agent sessions use. The logic lives in accounts/oauth.ts. Hidden from the API reference
// (OAuth clients read the metadata, not OpenAPI); documented in docs/agents.md.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorize, registerClient, token } from '../../accounts/oauth.js';
import { SCOPES } from '../../accounts/scopes.js';
import type { AppContext } from '../../context.js';
import { approvalCsp, errorPage } from '../approval-page.js';
import { acceptForms, noStore, throttler } from './agent-sessions.js';

const hidden = { schema: { hide: true } };

export async function oauthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, counters } = ctx.stores;
  const throttle = throttler(counters);
  const invalidate = async (hashes: string[]) => {
    for (const h of hashes) await counters.invalidate('keys', h);
  };

  // RFC 9728: the root form describes the whole server, the /mcp form the MCP endpoint (what 401s point at).
  const resourceMetadata = (request: FastifyRequest, path: string) => {
    const base = ctx.publicUrl(request);
    return {
      resource: `${base}${path}`, authorization_servers: [base], scopes_supported: SCOPES, bearer_methods_supported: ['header'],
      resource_name: 'Agent Analytics', resource_documentation: `${base}/docs`,
    };
  };
  app.get('/.well-known/oauth-protected-resource', hidden, async (request) => resourceMetadata(request, ''));
  app.get('/.well-known/oauth-protected-resource/mcp', hidden, async (request) => resourceMetadata(request, '/mcp'));

  // RFC 8414. The issuer has no path, so only the root form exists.
  app.get('/.well-known/oauth-authorization-server', hidden, async (request) => {
    const base = ctx.publicUrl(request);
    return {
      issuer: base, authorization_endpoint: `${base}/oauth/authorize`, token_endpoint: `${base}/oauth/token`, registration_endpoint: `${base}/oauth/register`,
      scopes_supported: SCOPES, response_types_supported: ['code'], response_modes_supported: ['query'], grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'], code_challenge_methods_supported: ['S256'], service_documentation: `${base}/docs`,
    };
  });

  app.get('/oauth/authorize', hidden, async (request, reply) => {
    await throttle(request, 'agent-start');
    const outcome = await authorize(ctx.config, meta, request.query as Record<string, unknown>, ctx.publicUrl(request));
    noStore(reply).header('Referrer-Policy', 'no-referrer');
    if (outcome.kind === 'redirect') return reply.redirect(outcome.url, 302);
    if (outcome.kind === 'approve') return reply.redirect(`/agent-sessions/authorize/${outcome.id}`, 302);
    return reply.code(400).type('text/html; charset=utf-8').header('Content-Security-Policy', approvalCsp(null)).header('X-Frame-Options', 'DENY')
      .send(errorPage(400, outcome.message));
  });

  await app.register(async (scope) => {
    acceptForms(scope);
    scope.post('/oauth/register', hidden, async (request, reply) => {
      await throttle(request, 'oauth-register');
      return noStore(reply).code(201).send(registerClient(request.body));
    });
    scope.post('/oauth/token', hidden, async (request, reply) => {
      await throttle(request, 'oauth-token');
      noStore(reply).header('Pragma', 'no-cache');
      return token(ctx.config, meta, (request.body ?? {}) as Record<string, unknown>, invalidate);
    });
  });
}
