// Decision P4: operator account management, only when AA_ADMIN_TOKEN is set (else every /admin route is 404).
import { type Static, Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accountView, createAccount } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { badRequest, notFound } from '../errors.js';
import { AccountObject, errors } from '../../schemas/common.js';
import { FeedbackItem, FeedbackListQuery } from '../../schemas/project-context.js';
import { parseStrictLimit } from '../../query/parse/limit.js';
import type { Tier } from '../../store/ports.js';

const AccountIdParams = Type.Object({ id: Type.String({ description: 'Account id (acc_…)' }) });
const FEEDBACK_LIMIT = { min: 1, max: 500, fallback: 100 } as const;
const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,120}$/;

function parseTier(v: unknown): Tier {
  if (v !== 'free' && v !== 'pro') throw badRequest('INVALID_BODY', 'tier must be "free" or "pro"');
  return v;
}

export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta } = ctx.stores;
  const base = { tags: ['admin'], security: [{ Bearer: [] }] };

  app.post('/admin/accounts', {
    config: { access: 'admin' },
    schema: {
      ...base, summary: 'Create an account and its first API key (admin token)',
      body: Type.Object({ email: Type.Optional(Type.String()), tier: Type.Optional(Type.String()) }),
      response: { 201: Type.Object({ account: AccountObject, api_key: Type.String() }), ...errors(400, 401, 404) },
    },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.email === undefined || body.email === '') throw badRequest('MISSING_FIELDS', 'email is required');
    if (typeof body.email !== 'string' || !EMAIL.test(body.email)) throw badRequest('INVALID_BODY', 'email must look like name@example.com');
    const tier = body.tier === undefined ? 'free' : parseTier(body.tier);
    const { account, apiKey } = await createAccount(meta, { email: body.email, tier });
    return reply.code(201).send({ account: await accountView(ctx.config, meta, account), api_key: apiKey });
  });

  app.get('/admin/accounts', {
    config: { access: 'admin' },
    schema: { ...base, summary: 'List accounts (admin token)', response: { 200: Type.Object({ accounts: Type.Array(AccountObject) }), ...errors(401, 404) } },
  }, async () => {
    const accounts = await meta.listAccounts();
    return { accounts: await Promise.all(accounts.map((a) => accountView(ctx.config, meta, a))) };
  });

  app.patch<{ Params: Static<typeof AccountIdParams> }>('/admin/accounts/:id', {
    config: { access: 'admin' },
    schema: {
      ...base, summary: 'Change an account\'s tier (admin token)',
      params: AccountIdParams,
      body: Type.Object({ tier: Type.Optional(Type.String()) }),
      response: { 200: AccountObject, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const { id } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.tier === undefined) throw badRequest('MISSING_FIELDS', 'tier is required ("free" or "pro")');
    const tier = parseTier(body.tier);
    const updated = await meta.updateAccount(id, { tier, limits_override: null });
    if (!updated) throw notFound(`account ${id} not found`);
    await ctx.stores.counters.invalidate('accounts', id);
    return accountView(ctx.config, meta, updated);
  });

  // What accounts sent with POST /account/feedback, newest first.
  app.withTypeProvider<TypeBoxTypeProvider>().get('/admin/feedback', {
    config: { access: 'admin' },
    schema: { ...base, summary: 'Feedback sent by accounts, newest first (admin token)', querystring: FeedbackListQuery, response: { 200: Type.Object({ feedback: Type.Array(FeedbackItem) }), ...errors(400, 401, 404) } },
  }, async (request) => {
    const q = request.query;
    const limit = parseStrictLimit(q.limit === '' ? undefined : q.limit, FEEDBACK_LIMIT);
    const accountId = typeof q.account_id === 'string' && q.account_id !== '' ? q.account_id : undefined;
    return { feedback: await meta.listFeedback({ accountId, limit }) };
  });
}
