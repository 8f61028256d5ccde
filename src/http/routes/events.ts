// E4: GET /events — the raw event log of one project. Rules live in reports/events.ts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { readContext } from '../../query/run.js';
import { eventsReport } from '../../reports/events.js';
import { callerAccount, readProject } from '../project-scope.js';
import { EventsQuery } from '../../schemas/analytics.js';
import { EventsResponse } from '../../schemas/analytics-responses.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';

export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/events', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      tags: ['events'], summary: 'Raw event log, newest first', security: apiKeySecurity,
      querystring: EventsQuery,
      response: { 200: EventsResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query;
    const project = await readProject(ctx, request, q.project);
    const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
    const body = await eventsReport(read, {
      projectId: project.id, project: project.name, since: q.since, until: q.until, cursor: q.cursor, limit: q.limit,
      event: q.event, session_id: q.session_id, user_id: q.user_id,
    });
    return withProjectContext(ctx.contexts, project.id, body);
  });
}
