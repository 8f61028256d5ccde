// GET /journey and POST /journey (referenced by the official CLI, Appendix A): one user's event timeline. Transport
// only — project scope and metering as the other analytics reads, the /identify map, the account's retention.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { readContext } from '../../query/run.js';
import { journeyReport, parseJourneyUser } from '../../reports/journey.js';
import { objectBody } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { JourneyBody, JourneyQuery, JourneyResponse } from '../../schemas/journey.js';

export async function journeyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const handle = async (request: FastifyRequest, input: Record<string, unknown>) => {
    // §1.3 order: PROJECT_REQUIRED, then the lookup fields, then the project lookup.
    const userId = typeof input.project === 'string' && input.project !== '' ? parseJourneyUser(input) : '';
    const project = await readProject(ctx, request, input.project);
    // PostgreSQL text cannot hold a NUL character, so no identity map there can: such ids skip the lookup on every store.
    const mapped = userId.includes('\u0000') ? undefined : (await ctx.stores.meta.resolveIdentities(project.id, [userId])).get(userId);
    const canonical = mapped ?? userId;
    const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
    const report = await journeyReport(read, { projectId: project.id, project: project.name, requestedId: userId, userId: canonical, since: input.since, limit: input.limit });
    return withProjectContext(ctx.contexts, project.id, report);
  };
  const common = { tags: ['analytics'], security: apiKeySecurity, response: { 200: JourneyResponse, ...errors(400, 401, 404, 429) } };

  app.withTypeProvider<TypeBoxTypeProvider>().get('/journey', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: { ...common, summary: "One user's events in time order (their journey), by user_id", querystring: JourneyQuery },
  }, async (request) => handle(request, request.query));

  app.post('/journey', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    attachValidation: true,
    schema: { ...common, summary: "One user's journey, with the lookup in the body ({project, user_id, since?, limit?})", body: JourneyBody },
  }, async (request) => {
    return handle(request, objectBody(request.body, '{project, user_id, since?, limit?}'));
  });
}
