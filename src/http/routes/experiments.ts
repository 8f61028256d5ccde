// E25–E30: experiments. Rules live in experiments/; this file is transport, schemas and access only.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Project } from '../../store/ports.js';
import { ExperimentConfigCache } from '../../experiments/config-cache.js';
import { ownedProjectByName } from '../../accounts/projects.js';
import { changeStatus, createExperiment, deleteExperiment, experimentWithResults, ownedExperiment, requirePro, trackerConfig } from '../../experiments/experiments.js';
import { bodyObject, deferNullableBodyVerdict, projectAndInput, requiredFields, validBody } from '../body.js';
import { callerAccount, readProject } from '../project-scope.js';
import { apiKeySecurity, DeletedResponse, errors } from '../../schemas/common.js';
import {
  CreateExperimentBody, ExperimentDetailResponse, ExperimentIdParams, ExperimentListResponse, ExperimentObject, ExperimentsConfigQuery,
  ExperimentsListQuery, PatchExperimentBody, TrackerExperimentsResponse,
} from '../../schemas/experiments.js';

type CreateBody = Static<typeof CreateExperimentBody>;
type PatchBody = Static<typeof PatchExperimentBody>;

export async function experimentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, events } = ctx.stores;
  const base = { tags: ['experiments'], security: apiKeySecurity };
  // Hot path (every page load asks): tokens through the ingestion directory's cache, configs through ours.
  const directory = ctx.ingest.directory;
  const projectOf = async (token: string) => (await directory.byToken(token))?.project ?? null;
  const configs = new ExperimentConfigCache(meta, ctx.stores.counters);

  app.withTypeProvider<TypeBoxTypeProvider>().get('/experiments/config', {
    config: { access: 'none' },
    schema: {
      tags: ['experiments'], summary: 'Active experiments for tracker.js (project token auth, public CORS)',
      querystring: ExperimentsConfigQuery,
      response: { 200: TrackerExperimentsResponse, ...errors(400, 401) },
    },
  }, async (request) => trackerConfig(projectOf, configs, request.query.token));

  // The write bodies' schemas answer with the contract's codes, in its order (§1.3; http/body.ts).
  app.post('/experiments', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    ...deferNullableBodyVerdict,
    schema: { ...base, summary: 'Create an A/B experiment (Pro only)', body: CreateExperimentBody, response: { 201: ExperimentObject, ...errors(400, 401, 403, 404, 409, 429) } },
  }, async (request, reply) => {
    // The tier gate comes before any body check (§1.3 step 3).
    const account = callerAccount(request);
    requirePro(account);
    const { project, input: body } = await projectAndInput<CreateBody, Project>(request, (name) => ownedProjectByName(meta, account, name), { shape: '{project, name, variants, goal_event, weights?}' });
    const exp = await createExperiment(ctx.stores, account, project, body);
    return reply.code(201).send(exp);
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/experiments', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      ...base, summary: 'List a project\'s experiments (newest first, all statuses)',
      querystring: ExperimentsListQuery,
      response: { 200: ExperimentListResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const project = await readProject(ctx, request, request.query.project);
    return { experiments: await meta.listExperiments(project.id) };
  });

  app.get<{ Params: Static<typeof ExperimentIdParams> }>('/experiments/:id', {
    config: { access: 'apiKey', scope: 'analytics:read' },
    schema: {
      ...base, summary: 'Experiment with live Bayesian results', params: ExperimentIdParams,
      response: { 200: ExperimentDetailResponse, ...errors(401, 403, 404, 429) },
    },
  }, async (request) => {
    const exp = await ownedExperiment(meta, callerAccount(request), request.params.id);
    ctx.reads.record(exp.project_id);
    return experimentWithResults(events, exp);
  });

  app.patch<{ Params: Static<typeof ExperimentIdParams> }>('/experiments/:id', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    ...deferNullableBodyVerdict,
    schema: { ...base, summary: 'Pause, resume or complete an experiment', params: ExperimentIdParams, body: PatchExperimentBody, response: { 200: ExperimentObject, ...errors(400, 401, 403, 404, 429) } },
  }, async (request) => {
    // E29 order: the status (INVALID_EXPERIMENT_STATUS), then ownership, then the rest of the body.
    bodyObject(request, '{status, winner?}');
    requiredFields(request, ['status']);
    const exp = await ownedExperiment(meta, callerAccount(request), request.params.id);
    const body = validBody<PatchBody>(request);
    return changeStatus(ctx.stores, exp, body.status, body.winner);
  });

  app.delete<{ Params: Static<typeof ExperimentIdParams> }>('/experiments/:id', {
    config: { access: 'apiKey', scope: 'experiments:write' },
    schema: { ...base, summary: 'Delete an experiment\'s configuration (events stay)', params: ExperimentIdParams, response: { 200: DeletedResponse, ...errors(401, 403, 404, 429) } },
  }, async (request) => deleteExperiment(ctx.stores, callerAccount(request), request.params.id));
}
