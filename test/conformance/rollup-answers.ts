// Every report a rollup can answer, over the conformance dataset's main and retention projects, as one
// object: tests compare two read paths (rollups against raw events, an upgraded store against a fresh one) whole.
import type { ReadContext } from '../../src/query/run.js';
import { breakdownReport } from '../../src/reports/breakdown.js';
import { heatmapReport } from '../../src/reports/heatmap.js';
import { insightsReport } from '../../src/reports/insights.js';
import { pagesReport } from '../../src/reports/pages.js';
import { propertiesReport } from '../../src/reports/properties.js';
import { retentionReport } from '../../src/reports/retention.js';
import { distributionReport, sessionsReport } from '../../src/reports/sessions.js';
import { statsReport } from '../../src/reports/stats.js';
import { PROJECTS } from './dataset.js';

export const main = { projectId: PROJECTS.main, project: 'main' };
const retention = { projectId: PROJECTS.retention, project: 'retention' };

/** Every report of the window through one read context, for comparing two of them whole. */
export async function answers(ctx: ReadContext) {
  return {
    stats: await statsReport(ctx, { ...main, since: '30d', groupBy: 'week' }),
    statsDay: await statsReport(ctx, { ...main, since: '7d', groupBy: 'day' }),
    properties: await propertiesReport(ctx, { ...main, since: '7d' }),
    breakdownPlan: await breakdownReport(ctx, { ...main, property: 'plan', event: undefined, since: '30d', limit: undefined }),
    breakdownAmount: await breakdownReport(ctx, { ...main, property: 'amount', event: 'server_sync', since: '7d', limit: '1' }),
    heatmap: await heatmapReport(ctx, { ...main, since: '30d' }),
    insights: await insightsReport(ctx, { ...main, period: '7d' }),
    sessions: await sessionsReport(ctx, { ...main, since: '30d', limit: undefined, user_id: undefined, is_bounce: undefined }),
    distribution: await distributionReport(ctx, { ...main, since: '30d' }),
    pages: await pagesReport(ctx, { ...main, type: 'both', since: '30d', limit: undefined }),
    retention: await retentionReport(ctx, { ...retention, period: 'week', cohorts: 3, event: undefined, returning_event: undefined }),
  };
}

