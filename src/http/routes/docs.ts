// GET /docs: the interactive API reference (Scalar), rendered in the browser from /openapi.json.
// Pinned to 1.46.x, the newest release that supports Node 20. Everything is served locally: no CDN script,
// no hosted fonts, no telemetry and no hosted "Ask AI" agent, so the page works on an offline install.
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

export async function docsRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  await app.register(scalar, {
    routePrefix: '/docs',
    logLevel: 'warn',
    configuration: {
      url: '/openapi.json',
      pageTitle: 'Agent Analytics API reference',
      metaData: { title: 'Agent Analytics API reference' },
      defaultOpenAllTags: true,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: 'never',
      agent: { disabled: true },
    },
  });
}
