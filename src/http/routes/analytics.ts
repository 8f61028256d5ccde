// E3, E5–E15: the analytics reads. Transport only — project scope, the account's retention, the report
// (src/reports/), and the anomaly flags that concern the response.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import { accountLimits } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import { withProjectContext } from '../../project-context/cache.js';
import { readContext, type ReadContext } from '../../query/run.js';
import { breakdownReport } from '../../reports/breakdown.js';
import { anonymousTrackingFlags, bounceRateSpikeFlags, type Flag, retentionCliffFlags, staleHeatmapFlags } from '../../reports/flags.js';
import { funnelReport } from '../../reports/funnel.js';
import type { FunnelInput } from '../../query/parse/funnel-body.js';
import { heatmapReport } from '../../reports/heatmap.js';
import { insightsReport } from '../../reports/insights.js';
import { pagesReport } from '../../reports/pages.js';
import { propertiesReceivedReport, propertiesReport } from '../../reports/properties.js';
import { queryReport } from '../../reports/query.js';
import { retentionReport } from '../../reports/retention.js';
import { distributionReport, sessionsReport } from '../../reports/sessions.js';
import { statsReport } from '../../reports/stats.js';
import type { Project } from '../../store/ports.js';
import { deferBodyVerdict, fieldsOf, validBody } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import * as In from '../../schemas/analytics.js';
import * as Out from '../../schemas/analytics-responses.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';


/** Flags are additive and present only when non-empty. */
const withFlags = <T extends object>(body: T, flags: Flag[]): T => (flags.length ? { ...body, flags } : body);

export async function analyticsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  /** The project each request resolved, for the project_context echo (Appendix A). */
  const scoped = new WeakMap<FastifyRequest, string>();

  /** Resolve the project (400/404 per §1.3) and the read context carrying the account's retention. */
  type Scoped = { project: Project; read: ReadContext };
  async function scope(request: FastifyRequest, name: unknown): Promise<Scoped> {
    const project = await readProject(ctx, request, name);
    scoped.set(request, project.id);
    const retention = accountLimits(ctx.config, callerAccount(request)).retention_days;
    return { project, read: readContext(ctx.stores.events, retention) };
  }
  const ids = (p: Project) => ({ projectId: p.id, project: p.name });

  /** A project's context rides along as `project_context` while it is non-empty; nothing else in the body changes. */
  const echo = (request: FastifyRequest, body: object) => {
    const projectId = scoped.get(request);
    return projectId === undefined ? body : withProjectContext(ctx.contexts, projectId, body);
  };
  const schema = (summary: string, response: TSchema) => ({ tags: ['analytics'], summary, security: apiKeySecurity, response: { 200: response, ...errors(400, 401, 404, 429) } });

  // The query-string schemas validate the parameters (and document them: OpenAPI, MCP tools). They are
  // permissive where the contract picks a specific code or a silent default, which the reports decide.
  const get = <I extends TObject>(url: string, summary: string, input: I, response: TSchema, handler: (request: FastifyRequest, q: Static<I>) => Promise<object>) => {
    app.get<{ Querystring: Static<I> }>(url, { config: { access: 'apiKey', scope: 'analytics:read' }, schema: { ...schema(summary, response), querystring: input } },
      // Fastify validated the query against `input`; TypeScript cannot resolve its generic route type inside a generic.
      async (request) => echo(request, await handler(request, request.query as Static<I>)));
  };
  // The body schemas validate the fields with the contract's codes (each field's errorCode, http/errors.ts); the
  // verdict is answered after PROJECT_REQUIRED and the project lookup (§1.3), so the project comes first.
  const post = <I extends TObject>(url: string, summary: string, input: I, response: TSchema, handler: (body: Static<I>, scoped: Scoped) => Promise<object>) => {
    app.post(url, { config: { access: 'apiKey', scope: 'analytics:read' }, ...deferBodyVerdict, schema: { ...schema(summary, response), body: input } }, async (request) => {
      const scoped = await scope(request, fieldsOf(request.body).project);
      return echo(request, await handler(validBody<Static<I>>(request), scoped));
    });
  };

  get('/stats', 'Traffic overview: totals, time series, top events, sessions', In.StatsQuery, Out.StatsResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    const report = await statsReport(read, { ...ids(project), since: q.since, groupBy: q.groupBy, filters: q.filters });
    return withFlags(report, anonymousTrackingFlags(report));
  });

  post('/query', 'Flexible aggregate query (metrics, group_by, filters)', In.QueryBody, Out.QueryResponse, async (body, { project, read }) => {
    return queryReport(read, { ...ids(project), body });
  });

  get('/properties', 'Event names with counts, and the property keys in use', In.PropertiesQuery, Out.PropertiesResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    return propertiesReport(read, { ...ids(project), since: q.since });
  });

  get('/properties/received', 'Which property keys arrive on which event names', In.PropertiesReceivedQuery, Out.PropertiesReceivedResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    return propertiesReceivedReport(read, { ...ids(project), since: q.since, sample: q.sample });
  });

  get('/sessions', 'Sessions, newest first', In.SessionsQuery, Out.SessionsResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    return sessionsReport(read, { ...ids(project), since: q.since, until: q.until, cursor: q.cursor, limit: q.limit, user_id: q.user_id, is_bounce: q.is_bounce });
  });

  get('/sessions/distribution', 'Session duration histogram', In.SessionsDistributionQuery, Out.DistributionResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    return distributionReport(read, { ...ids(project), since: q.since });
  });

  get('/breakdown', 'Top values of a property', In.BreakdownQuery, Out.BreakdownResponse, async (request, q) => {
    // A missing `property` is a missing required parameter (§1.3 step 4): after PROJECT_REQUIRED, before the lookup.
    const missingProperty = q.property === undefined || q.property === '';
    if (missingProperty && typeof q.project === 'string' && q.project !== '') {
      throw badRequest('MISSING_FIELDS', 'property query parameter required (a property key such as path, referrer or country)');
    }
    const { project, read } = await scope(request, q.project);
    return breakdownReport(read, { ...ids(project), property: q.property, event: q.event, since: q.since, limit: q.limit, filters: q.filters });
  });

  get('/insights', 'Current period against the previous one', In.InsightsQuery, Out.InsightsResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    const report = await insightsReport(read, { ...ids(project), period: q.period });
    return withFlags(report, bounceRateSpikeFlags(report));
  });

  get('/pages', 'Entry and exit pages', In.PagesQuery, Out.PagesResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    return pagesReport(read, { ...ids(project), type: q.type, since: q.since, limit: q.limit, filters: q.filters });
  });

  get('/heatmap', 'Events by UTC weekday and hour', In.HeatmapQuery, Out.HeatmapResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    const report = await heatmapReport(read, { ...ids(project), since: q.since });
    return withFlags(report, staleHeatmapFlags(report));
  });

  post('/funnel', 'Ordered conversion funnel', In.FunnelBody, Out.FunnelResponse, async (body, { project, read }) => {
    return funnelReport(read, { ...ids(project), body: body satisfies FunnelInput });
  });

  get('/retention', 'Cohort retention', In.RetentionQuery, Out.RetentionResponse, async (request, q) => {
    const { project, read } = await scope(request, q.project);
    const report = await retentionReport(read, { ...ids(project), period: q.period, cohorts: q.cohorts, event: q.event, returning_event: q.returning_event });
    return withFlags(report, retentionCliffFlags(report));
  });
}
