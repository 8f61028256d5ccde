// POST /paths (Appendix A): journey trees from the top entry pages to a goal. Transport only — project
// scope and metering exactly as the other analytics reads, the account's retention, the report.
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { readContext } from '../../query/run.js';
import { withProjectContext } from '../../project-context/cache.js';
import { parseGoalEvent, parsePathsBody, pathsReport } from '../../reports/paths.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { PathsBody, PathsResponse } from '../../schemas/paths.js';

export async function pathsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.route({
    method: 'POST', url: '/paths',
    config: { access: 'apiKey', scope: 'analytics:read' },
    // The contract's codes come from code (see schemas/paths.ts); schema mismatches are attached, not answered.
    attachValidation: true,
    schema: {
      tags: ['analytics'], summary: 'Journey trees from the top entry pages to a goal event', security: apiKeySecurity,
      body: PathsBody,
      response: { 200: PathsResponse, ...errors(400, 401, 404, 429) },
    },
    handler: async (request) => {
      const raw = request.body;
      const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
      // §1.3 order: a missing required field (after PROJECT_REQUIRED) comes before the project lookup,
      // range checks after it.
      if (typeof body.project === 'string' && body.project !== '') parseGoalEvent(body.goal_event);
      const project = await readProject(ctx, request, body.project);
      const options = parsePathsBody(body);
      const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
      return withProjectContext(ctx.contexts, project.id, await pathsReport(read, { projectId: project.id, project: project.name, options }));
    },
  });
}
