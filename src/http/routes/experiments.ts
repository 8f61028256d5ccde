// E25–E30: experiments. Rules live in experiments/; this file is transport, schemas and access only.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { ExperimentConfigCache } from '../../experiments/config-cache.js';
import { changeStatus, createExperiment, deleteExperiment, experimentWithResults, ownedExperiment, requirePro, trackerConfig } from '../../experiments/experiments.js';
import { badRequest } from '../errors.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, errors, Flags } from '../../schemas/common.js';
import { CreateExperimentBody, ExperimentIdParams, ExperimentsConfigQuery, ExperimentsListQuery, PatchExperimentBody } from '../../schemas/experiments.js';

const Variant = Type.Object({ key: Type.String(), weight: Type.Integer({ minimum: 0, maximum: 100 }) });
const ExperimentObject = Type.Object({
  id: Type.String({ examples: ['exp_a1b2c3d4e5f6g7h8'] }),
  project_id: Type.String(),
  account_id: Type.String(),
  name: Type.String({ description: 'Unique per project; the tracker\'s experiment key' }),
  variants: Type.Array(Variant, { description: 'Configured order; the first is the control (baseline)' }),
  goal_event: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('completed')]),
  winner: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Results = Type.Object({
  variants: Type.Array(Type.Object({
    key: Type.String(), exposures: Type.Integer(), unique_users: Type.Integer({ description: 'Counted for the variant of each user\'s first exposure' }),
    conversions: Type.Integer({ description: 'Users with a goal event at or after their first exposure' }), conversion_rate: Type.Number(),
  })),
  probability_best: Type.Record(Type.String(), Type.Number(), { description: 'P(variant has the highest rate), Beta(1,1) posteriors' }),
  lift: Type.Record(Type.String(), Type.Number(), { description: 'Relative lift vs the control; for the control, vs the best other variant' }),
  sufficient_data: Type.Boolean({ description: 'Every variant has at least 100 exposures' }),
  recommendation: Type.String(),
});

/** A body that is not a JSON object cannot carry the fields; every other check is the rules' own (exact codes). */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('INVALID_BODY', 'request body must be a JSON object');
  return body as Record<string, unknown>;
}

// attachValidation: the shared schemas document the inputs (OpenAPI, MCP), but the contract picks the error
// codes (PROJECT_REQUIRED, MISSING_FIELDS, INVALID_VARIANTS, INVALID_EXPERIMENT_STATUS), so the code validates.
const validatedInCode = { attachValidation: true } as const;

export async function experimentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, events } = ctx.stores;
  const base = { tags: ['experiments'], security: apiKeySecurity };
  // Hot path (every page load asks): tokens through the ingestion directory's cache, configs through ours.
  const directory = ctx.ingest.directory;
  const projectOf = async (token: string) => (await directory.byToken(token))?.project ?? null;
  const configs = new ExperimentConfigCache(meta, ctx.stores.counters);

  app.get('/experiments/config', {
    config: { access: 'none' },
    schema: {
      tags: ['experiments'], summary: 'Active experiments for tracker.js (project token auth, public CORS)',
      querystring: ExperimentsConfigQuery,
      response: { 200: Type.Object({ experiments: Type.Array(Type.Object({ key: Type.String(), variants: Type.Array(Variant) })) }), ...errors(400, 401) },
    },
  }, async (request) => trackerConfig(projectOf, configs, (request.query as { token?: string }).token));

  app.post('/experiments', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    ...validatedInCode,
    schema: { ...base, summary: 'Create an A/B experiment (Pro only)', body: CreateExperimentBody, response: { 201: ExperimentObject, ...errors(400, 401, 403, 404, 409, 429) } },
  }, async (request, reply) => {
    // The tier gate comes before any body check (§1.3 step 3).
    const account = callerAccount(request);
    requirePro(account);
    const exp = await createExperiment(ctx.stores, account, bodyObject(request.body));
    return reply.code(201).send(exp);
  });

  app.get('/experiments', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    ...validatedInCode,
    schema: {
      ...base, summary: 'List a project\'s experiments (newest first, all statuses)',
      querystring: ExperimentsListQuery,
      response: { 200: Type.Object({ experiments: Type.Array(ExperimentObject) }), ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const project = await readProject(ctx, request, (request.query as { project?: string }).project);
    return { experiments: await meta.listExperiments(project.id) };
  });

  app.get('/experiments/:id', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      ...base, summary: 'Experiment with live Bayesian results', params: ExperimentIdParams,
      response: { 200: Type.Intersect([ExperimentObject, Type.Object({ results: Results, flags: Flags })]), ...errors(401, 403, 404, 429) },
    },
  }, async (request) => {
    const exp = await ownedExperiment(meta, callerAccount(request), (request.params as { id: string }).id);
    ctx.reads.record(exp.project_id);
    return experimentWithResults(events, exp);
  });

  app.patch('/experiments/:id', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    ...validatedInCode,
    schema: { ...base, summary: 'Pause, resume or complete an experiment', params: ExperimentIdParams, body: PatchExperimentBody, response: { 200: ExperimentObject, ...errors(400, 401, 403, 404, 429) } },
  }, async (request) => changeStatus(ctx.stores, callerAccount(request), (request.params as { id: string }).id, bodyObject(request.body)));

  app.delete('/experiments/:id', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    schema: { ...base, summary: 'Delete an experiment\'s configuration (events stay)', params: ExperimentIdParams, response: { 200: Type.Object({ ok: Type.Boolean(), deleted: Type.String() }), ...errors(401, 403, 404, 429) } },
  }, async (request) => deleteExperiment(ctx.stores, callerAccount(request), (request.params as { id: string }).id));
}
