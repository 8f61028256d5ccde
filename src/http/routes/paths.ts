// POST /paths (Appendix A): journey trees from the top entry pages to a goal. Transport only — project
// scope and metering exactly as the other analytics reads, the account's retention, the report.
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import type { Project } from '../../store/ports.js';
import { readContext } from '../../query/run.js';
import { withProjectContext } from '../../project-context/cache.js';
import { parsePathsBody, pathsReport } from '../../reports/paths.js';
import { deferNullableBodyVerdict, projectAndInput } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { PathsBody, PathsResponse } from '../../schemas/paths.js';

export async function pathsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.route({
    method: 'POST', url: '/paths',
    config: { access: 'apiKey', scope: 'analytics:read' },
    // The schema's verdict answers in the contract's order (§1.3): PROJECT_REQUIRED, goal_event, the lookup, the rest.
    ...deferNullableBodyVerdict,
    schema: {
      tags: ['analytics'], summary: 'Journey trees from the top entry pages to a goal event', security: apiKeySecurity,
      body: PathsBody,
      response: { 200: PathsResponse, ...errors(400, 401, 404, 429) },
    },
    handler: async (request) => {
      const { project, input: body } = await projectAndInput<Static<typeof PathsBody>, Project>(request, (name) => readProject(ctx, request, name), { early: ['goal_event'] });
      const options = parsePathsBody(body);
      const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
      return withProjectContext(ctx.contexts, project.id, await pathsReport(read, { projectId: project.id, project: project.name, options }));
    },
  });
}
