// GET /journey and POST /journey (referenced by the official CLI, Appendix A): one user's event timeline. Transport
// only — project scope and metering as the other analytics reads, the /identify map, the account's retention.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { readContext } from '../../query/run.js';
import { journeyReport, refuseEmailLookup } from '../../reports/journey.js';
import type { Project } from '../../store/ports.js';
import { deferNullableBodyVerdict, deferQueryVerdict, projectAndInput } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { JourneyBody, JourneyQuery, JourneyResponse } from '../../schemas/journey.js';

export async function journeyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  /** The query or body its schema accepted, in §1.3 order: PROJECT_REQUIRED, email, user_id, the project lookup. */
  const handle = async (request: FastifyRequest, shape?: string) => {
    const { project, input } = await projectAndInput<Static<typeof JourneyQuery>, Project>(request, (name) => readProject(ctx, request, name), {
      shape, before: (fields) => refuseEmailLookup(fields.email),
    });
    const userId = input.user_id;
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
    // The verdict is answered in §1.3 order by handle (http/body.ts), with the codes the schema declares.
    ...deferQueryVerdict,
    schema: { ...common, summary: "One user's events in time order (their journey), by user_id", querystring: JourneyQuery },
  }, async (request) => handle(request));

  app.post('/journey', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    ...deferNullableBodyVerdict,
    schema: { ...common, summary: "One user's journey, with the lookup in the body ({project, user_id, since?, limit?})", body: JourneyBody },
  }, async (request) => handle(request, '{project, user_id, since?, limit?}'));
}
