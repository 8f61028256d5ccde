// E23–E24: the caller's account, limits and key rotation.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { accountView, rotateApiKey } from '../../accounts/accounts.js';
import { hashKey } from '../../accounts/credentials.js';
import type { AppContext } from '../../context.js';
import { projectLimitFlags } from '../../reports/flags.js';
import { callerAccount } from '../project-scope.js';
import { AccountObject, apiKeySecurity, errors, Flags } from '../schemas/common.js';

export async function accountRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = { tags: ['account'], security: apiKeySecurity };

  app.get('/account', {
    config: { access: 'apiKey' },
    schema: { ...base, summary: 'Account, tier, limits and usage', response: { 200: Type.Intersect([AccountObject, Type.Object({ flags: Flags })]), ...errors(401, 429) } },
  }, async (request) => {
    const view = await accountView(ctx.config, ctx.stores.meta, callerAccount(request));
    const flags = projectLimitFlags(view.projects_count, view.projects_limit);
    return flags.length ? { ...view, flags } : view;
  });

  app.post('/account/revoke-key', {
    config: { access: 'apiKey' },
    schema: { ...base, summary: 'Revoke the calling API key and issue a new one (shown once)', response: { 200: Type.Object({ ok: Type.Boolean(), api_key: Type.String() }), ...errors(401, 429) } },
  }, async (request) => {
    const account = callerAccount(request);
    const oldKey = request.apiKey!;
    const fresh = await rotateApiKey(ctx.stores.meta, account.id, oldKey);
    await ctx.stores.counters.invalidate('keys', hashKey(oldKey));
    return { ok: true, api_key: fresh };
  });
}
