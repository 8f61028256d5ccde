// E17 GET /live: the real-time snapshot of a project, from the live buffer (no database query).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { liveSnapshot, liveWindowSeconds } from '../../reports/live.js';
import { readProjectOrDefault } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { LiveQuery, LiveResponse } from '../../schemas/realtime.js';

export async function liveRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/live', {
    config: { access: 'apiKey', scope: 'live:read' },
    schema: {
      tags: ['live'], security: apiKeySecurity,
      summary: 'Real-time snapshot: active visitors and sessions, events per minute, top pages and events, recent events',
      querystring: LiveQuery,
      response: { 200: LiveResponse, ...errors(401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query;
    const project = await readProjectOrDefault(ctx, request, q.project);
    return withProjectContext(ctx.contexts, project.id, liveSnapshot(project.name, ctx.stores.bus.recent(project.id), liveWindowSeconds(q.window), Date.now()));
  });
}
