// E4: GET /events — the raw event log of one project. Rules live in reports/events.ts.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { readContext } from '../../query/run.js';
import { eventsReport } from '../../reports/events.js';
import { callerAccount, readProject } from '../project-scope.js';
import { EventsQuery } from '../../schemas/analytics.js';
import { EventRowObject } from '../../schemas/analytics-responses.js';
import { apiKeySecurity, errors, NextCursor } from '../../schemas/common.js';
import { ProjectContextEcho } from '../../schemas/project-context.js';

export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/events', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      tags: ['events'], summary: 'Raw event log, newest first', security: apiKeySecurity,
      querystring: EventsQuery,
      response: { 200: Type.Object({ project: Type.String(), events: Type.Array(EventRowObject), next_cursor: NextCursor, project_context: ProjectContextEcho }), ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const project = await readProject(ctx, request, q.project);
    const read = readContext(ctx.stores.events, accountLimits(ctx.config, callerAccount(request)).retention_days);
    const body = await eventsReport(read, {
      projectId: project.id, project: project.name, since: q.since, until: q.until, cursor: q.cursor, limit: q.limit,
      event: q.event, session_id: q.session_id, user_id: q.user_id,
    });
    return withProjectContext(ctx.contexts, project.id, body);
  });
}
