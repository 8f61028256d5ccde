// E31: liveness for load balancers and humans; never authenticated or rate limited.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/health', {
    schema: {
      tags: ['health'], summary: 'Health check',
      response: { 200: Type.Object({ status: Type.Literal('ok'), service: Type.Literal('agent-analytics') }, { additionalProperties: true }) },
    },
  }, async () => ({ status: 'ok', service: 'agent-analytics', events_engine: ctx.stores.events.engine, meta_engine: ctx.stores.meta.engine }));
}
