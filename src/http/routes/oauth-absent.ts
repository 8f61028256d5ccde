// No OAuth here (yet): the API key is the credential, POST /mcp included. MCP clients that start OAuth
// discovery on a 401 anyway (the official SDK does whenever it has an auth provider) probe these addresses;
// each answers 404 with an OAuth-shaped `error_description`, so the client's final error — its dynamic client
// registration failing — says what to configure instead of nothing. Hidden from the API reference.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';

export const NO_OAUTH = 'this server does not support OAuth: configure your MCP client to send the API key as the X-API-Key header (or Authorization: Bearer aak_…)';

const DISCOVERY = ['oauth-protected-resource', 'oauth-authorization-server', 'openid-configuration'];

export async function oauthAbsentRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  const answer = async () => {
    throw new ApiError(404, 'NOT_FOUND', NO_OAUTH, { error_description: NO_OAUTH });
  };
  for (const doc of DISCOVERY) {
    app.get(`/.well-known/${doc}`, { schema: { hide: true } }, answer);
    app.get(`/.well-known/${doc}/*`, { schema: { hide: true } }, answer);
  }
  app.post('/register', { schema: { hide: true } }, answer);
}
