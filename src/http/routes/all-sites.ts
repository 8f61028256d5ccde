// GET /account/all-sites (Appendix A, beyond the seed): the account's projects side by side. Transport
// only — the caller's non-deleted projects, the account's retention, then the report (src/reports/all-sites.ts).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { readContext } from '../../query/run.js';
import { allSitesReport } from '../../reports/all-sites.js';
import { wholeAccount } from '../project-scope.js';
import { AllSitesQuery, AllSitesResponse } from '../../schemas/all-sites.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';

export async function allSitesRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The schema validates the parameters' types; the report answers bad values with the contract's codes.
  app.get('/account/all-sites', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      tags: ['account'], summary: 'Every project of the account: events this period vs the previous one, daily series, top projects',
      security: apiKeySecurity, querystring: AllSitesQuery,
      response: { 200: AllSitesResponse, ...errors(400, 401, 429) },
    },
  }, async (request) => {
    const account = wholeAccount(request);
    const q = request.query;
    const projects = await ctx.stores.meta.listProjects(account.id);
    const read = readContext(ctx.stores.events, accountLimits(ctx.config, account).retention_days);
    return allSitesReport(read, { projects, period: q.period, limit: q.limit });
  });
}
