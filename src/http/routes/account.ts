// E23–E24: the caller's account, limits and key rotation.
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accountView, rotateApiKey, rotateApiKeyByHash, usageView } from '../../accounts/accounts.js';
import { hashKey } from '../../accounts/credentials.js';
import type { AppContext } from '../../context.js';
import { projectLimitFlags } from '../../reports/flags.js';
import { callerAccount } from '../project-scope.js';
import { AccountQuery, AccountResponse, apiKeySecurity, errors, KeyRotatedResponse } from '../../schemas/common.js';

export async function accountRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = { tags: ['account'], security: apiKeySecurity };

  app.withTypeProvider<TypeBoxTypeProvider>().get('/account', {
    config: { access: 'apiKey', scope: 'account:read' },
    schema: {
      ...base, summary: 'Account, tier, limits and usage', querystring: AccountQuery,
      response: { 200: AccountResponse, ...errors(401, 429) },
    },
  }, async (request) => {
    const account = callerAccount(request);
    const view = await accountView(ctx.config, ctx.stores.meta, account);
    const include = (request.query.include ?? '').split(',').map((s) => s.trim());
    // Usage is opt-in (beyond the contract), so the E23 body stays exactly as specified by default.
    const body = include.includes('usage') ? { ...view, usage: await usageView(ctx.stores.meta, account) } : view;
    const flags = projectLimitFlags(view.projects_count, view.projects_limit);
    return flags.length ? { ...body, flags } : body;
  });

  app.post('/account/revoke-key', {
    config: { access: 'apiKey', scope: 'owner' },
    schema: { ...base, summary: 'Revoke the calling API key and issue a new one (shown once)', response: { 200: KeyRotatedResponse, ...errors(401, 429) } },
  }, async (request) => {
    const account = callerAccount(request);
    const session = request.dashboardSession;
    if (session) {
      // From the dashboard: rotate the key the session was opened with and keep this session on the new key;
      // every other session of the old key ends with it.
      const fresh = await rotateApiKeyByHash(ctx.stores.meta, account.id, session.keyHash);
      await ctx.stores.meta.rebindDashboardSession(session.idHash, hashKey(fresh));
      await ctx.stores.counters.invalidate('keys', session.keyHash);
      return { ok: true, api_key: fresh };
    }
    const oldKey = request.apiKey!;
    const fresh = await rotateApiKey(ctx.stores.meta, account.id, oldKey);
    await ctx.stores.counters.invalidate('keys', hashKey(oldKey));
    return { ok: true, api_key: fresh };
  });
}
