// E4: GET /events — the raw event log of one project. Rules live in reports/events.ts.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { parseLimit } from '../../query/limits.js';
import { parseSince } from '../../query/time.js';
import { withProjectContext } from '../../project-context/cache.js';
import { listEvents } from '../../reports/events.js';
import { callerAccount, readProject } from '../project-scope.js';
import { EventsQuery } from '../schemas/analytics.js';
import { EventRowObject } from '../schemas/analytics-responses.js';
import { apiKeySecurity, errors } from '../schemas/common.js';
import { ProjectContextEcho } from '../schemas/project-context.js';

export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/events', {
    config: { access: 'apiKey' },
    schema: {
      tags: ['events'], summary: 'Raw event log, newest first', security: apiKeySecurity,
      querystring: EventsQuery,
      response: { 200: Type.Object({ project: Type.String(), events: Type.Array(EventRowObject), project_context: ProjectContextEcho }), ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const project = await readProject(ctx, request, q.project);
    const events = await listEvents(ctx.stores.events, {
      projectId: project.id,
      since: parseSince(q.since).date,
      limit: parseLimit(q.limit),
      event: q.event,
      sessionId: q.session_id,
      userId: q.user_id,
      retentionDays: accountLimits(ctx.config, callerAccount(request)).retention_days,
    });
    return withProjectContext(ctx.contexts, project.id, { project: project.name, events });
  });
}
