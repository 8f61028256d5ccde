// Every route module; buildApp registers each with the app context. Order does not matter: services are
// built before any module runs (src/services.ts). Add one line per API group.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { accountRoutes } from './account.js';
import { agentSessionRoutes } from './agent-sessions.js';
import { adminRoutes } from './admin.js';
import { allSitesRoutes } from './all-sites.js';
import { analyticsRoutes } from './analytics.js';
import { backupRoutes } from './backup.js';
import { botTrafficRoutes } from './bot-traffic.js';
import { dashboardRoutes } from './dashboard.js';
import { docsRoutes } from './docs.js';
import { eventRoutes } from './events.js';
import { experimentRoutes } from './experiments.js';
import { exportRoutes } from './export.js';
import { healthRoutes } from './health.js';
import { hostedOnlyRoutes } from './hosted-only.js';
import { identifyRoutes } from './identify.js';
import { importRoutes } from './import.js';
import { journeyRoutes } from './journey.js';
import { keyRoutes } from './keys.js';
import { liveRoutes } from './live.js';
import { mcpRoutes } from './mcp.js';
import { oauthAbsentRoutes } from './oauth-absent.js';
import { pathsRoutes } from './paths.js';
import { portfolioRoutes } from './portfolios.js';
import { projectContextRoutes } from './project-context.js';
import { projectRoutes } from './projects.js';
import { streamRoutes } from './stream.js';
import { trackRoutes } from './track.js';
import { trackerRoutes } from './tracker.js';

export type RouteModule = (app: FastifyInstance, ctx: AppContext) => Promise<void>;

export const ROUTE_MODULES: RouteModule[] = [
  healthRoutes,
  trackRoutes,
  eventRoutes,
  analyticsRoutes,
  pathsRoutes,
  projectRoutes,
  accountRoutes,
  keyRoutes,
  agentSessionRoutes,
  adminRoutes,
  mcpRoutes,
  oauthAbsentRoutes,
  docsRoutes,
  experimentRoutes,
  botTrafficRoutes,
  identifyRoutes,
  trackerRoutes,
  streamRoutes,
  liveRoutes,
  allSitesRoutes,
  projectContextRoutes,
  journeyRoutes,
  portfolioRoutes,
  hostedOnlyRoutes,
  dashboardRoutes,
  exportRoutes,
  importRoutes,
  backupRoutes,
];
