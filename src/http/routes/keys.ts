// Named API keys (issue 16): the owner creates keys with a name, scopes, an optional project restriction and an
// optional expiry; anyone with account:read lists them (never the key itself); deletion takes effect at once on
// every replica (the key-cache invalidation path).
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { createNamedKey, listNamedKeys, revokeNamedKey } from '../../accounts/named-keys.js';
import type { AppContext } from '../../context.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import * as S from '../../schemas/credentials.js';
import { callerAccount } from '../project-scope.js';

export async function keyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, counters } = ctx.stores;
  const base = { tags: ['account'], security: apiKeySecurity };

  app.post<{ Body: Static<typeof S.CreateKeyBody> }>('/account/keys', {
    config: { access: 'apiKey', scope: 'owner' },
    schema: {
      ...base, summary: 'Create a named API key with scopes (the key is shown only in this response)',
      description: 'A read-only key: {"name": "report agent", "scopes": ["analytics:read", "projects:read"]}. Optional `projects` (names or ids) restricts it; `expires_in_days` ends it.',
      body: S.CreateKeyBody, response: { 201: S.CreatedKey, ...errors(400, 401, 404, 429) },
    },
  }, async (request, reply) => reply.code(201).header('Cache-Control', 'no-store').send(await createNamedKey(meta, callerAccount(request), request.body)));

  app.get('/account/keys', {
    config: { access: 'apiKey', scope: 'account:read' },
    schema: { ...base, summary: "The account's named keys (never the keys themselves), newest first", response: { 200: S.KeyList, ...errors(401, 429) } },
  }, async (request) => ({ keys: await listNamedKeys(meta, callerAccount(request)), available_scopes: S.availableScopes() }));

  app.delete<{ Params: Static<typeof S.KeyParams> }>('/account/keys/:id', {
    config: { access: 'apiKey', scope: 'owner' },
    schema: { ...base, summary: 'Delete a named key: it stops working at once on every replica', params: S.KeyParams, response: { 200: S.KeyDeleted, ...errors(401, 404, 429) } },
  }, async (request) => {
    const { id } = request.params;
    await counters.invalidate('keys', await revokeNamedKey(meta, callerAccount(request), id));
    return { ok: true, id };
  });
}
