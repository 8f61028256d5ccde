// E17 GET /live: the real-time snapshot of a project, from the live buffer (no database query).
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { withProjectContext } from '../../project-context/cache.js';
import { liveSnapshot, liveWindowSeconds } from '../../reports/live.js';
import { readProjectOrDefault } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { ProjectContextEcho } from '../../schemas/project-context.js';
import { LiveQuery } from '../../schemas/realtime.js';

const LiveResponse = Type.Object({
  project: Type.String(),
  window_seconds: Type.Integer(),
  timestamp: Type.Number({ description: 'Server time of the snapshot, epoch ms' }),
  active_visitors: Type.Integer({ description: 'Distinct non-null user_id in the window' }),
  active_sessions: Type.Integer({ description: 'Distinct non-null session_id in the window' }),
  events_per_minute: Type.Integer(),
  top_pages: Type.Array(Type.Object({ path: Type.String(), visitors: Type.Integer() })),
  top_events: Type.Array(Type.Object({ event: Type.String(), count: Type.Integer() })),
  recent_events: Type.Array(Type.Object({
    event: Type.String(),
    properties: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    user_id: Type.Union([Type.String(), Type.Null()]),
    session_id: Type.Union([Type.String(), Type.Null()]),
    timestamp: Type.Number(),
    country: Type.Union([Type.String(), Type.Null()]),
  })),
  project_context: ProjectContextEcho,
});

export async function liveRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/live', {
    config: { access: 'apiKey', scope: 'live:read' },
    schema: {
      tags: ['live'], security: apiKeySecurity,
      summary: 'Real-time snapshot: active visitors and sessions, events per minute, top pages and events, recent events',
      querystring: LiveQuery,
      response: { 200: LiveResponse, ...errors(401, 404, 429) },
    },
  }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const project = await readProjectOrDefault(ctx, request, q.project);
    return withProjectContext(ctx.contexts, project.id, liveSnapshot(project.name, ctx.stores.bus.recent(project.id), liveWindowSeconds(q.window), Date.now()));
  });
}
