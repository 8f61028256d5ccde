// GET /bot-traffic and GET /account/bot-traffic (Appendix A, beyond the seed): what the bot filter kept out.
// Transport only — tenant scope (the caller's project, or the caller's non-deleted projects), the rows from
// the ingestion service's DropCounters (stored + not yet flushed), then the report (src/reports/bot-traffic.ts).
// Available on every tier.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { accountBotTraffic, botTrafficParams, projectBotTraffic } from '../../reports/bot-traffic.js';
import { readProject, wholeAccount } from '../project-scope.js';
import { AccountBotTrafficQuery, AccountBotTrafficResponse, BotTrafficQuery, BotTrafficResponse } from '../../schemas/bot-traffic.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';

export async function botTrafficRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The schema validates the parameters' types; the report answers bad values with the contract's codes.
  app.get('/bot-traffic', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      tags: ['analytics'], summary: 'Bot traffic kept out of a project: crawlers and AI agents by category and actor, vs the previous period',
      security: apiKeySecurity, querystring: BotTrafficQuery,
      response: { 200: BotTrafficResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query;
    const project = await readProject(ctx, request, q.project); // 400 PROJECT_REQUIRED, 404 when not the caller's
    const { period, limit } = botTrafficParams(q);
    const rows = await ctx.ingest.drops.botTrafficDays([project.id], period.previous_from, period.to);
    return projectBotTraffic(rows, period, limit);
  });

  app.get('/account/bot-traffic', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      tags: ['account'], summary: 'Bot traffic kept out of every project of the account, by category, actor and project',
      security: apiKeySecurity, querystring: AccountBotTrafficQuery,
      response: { 200: AccountBotTrafficResponse, ...errors(400, 401, 429) },
    },
  }, async (request) => {
    const { period, limit } = botTrafficParams(request.query);
    const projects = await ctx.stores.meta.listProjects(wholeAccount(request).id);
    const rows = await ctx.ingest.drops.botTrafficDays(projects.map((p) => p.id), period.previous_from, period.to);
    return accountBotTraffic(rows, projects, period, limit);
  });
}
