// Every API-client command of the CLI, in the order `agent-analytics help` lists them.
import type { Command } from '../command.js';
import { allSitesCommand } from './all-sites.js';
import { backupCommand } from './backup.js';
import { botTrafficCommand } from './bot-traffic.js';
import { breakdownCommand } from './breakdown.js';
import { eventsCommand } from './events.js';
import { experimentsCommand } from './experiments.js';
import { exportCommand } from './export.js';
import { feedbackCommand } from './feedback.js';
import { funnelCommand } from './funnel.js';
import { heatmapCommand } from './heatmap.js';
import { importCommand } from './import.js';
import { insightsCommand } from './insights.js';
import { journeyCommand } from './journey.js';
import { agentSessionsCommand, keysCommand } from './keys.js';
import { liveCommand } from './live.js';
import { loginCommand, logoutCommand } from './login.js';
import { mcpCommand } from './mcp.js';
import { pagesCommand } from './pages.js';
import { pathsCommand } from './paths.js';
import { portfolioContextCommand } from './portfolio-context.js';
import { portfoliosCommand } from './portfolios.js';
import { projectContextCommand } from './project-context.js';
import { projectsCommand } from './projects.js';
import { propertiesCommand } from './properties.js';
import { queryCommand } from './query.js';
import { retentionCommand } from './retention.js';
import { revokeKeyCommand } from './revoke-key.js';
import { sessionsCommand } from './sessions.js';
import { statsCommand } from './stats.js';
import { streamCommand } from './stream.js';
import { trackCommand } from './track.js';
import { whoamiCommand } from './whoami.js';

export const COMMANDS: Command[] = [
  loginCommand, logoutCommand, whoamiCommand, revokeKeyCommand, keysCommand, agentSessionsCommand, projectsCommand,
  statsCommand, eventsCommand, queryCommand, propertiesCommand, sessionsCommand, breakdownCommand, insightsCommand, botTrafficCommand,
  pagesCommand, heatmapCommand, funnelCommand, pathsCommand, journeyCommand, retentionCommand, liveCommand, streamCommand, allSitesCommand,
  experimentsCommand, trackCommand, mcpCommand, projectContextCommand, feedbackCommand,
  portfoliosCommand, portfolioContextCommand, exportCommand, importCommand, backupCommand,
];
