// E18–E22: the project surface. Rules live in accounts/projects.ts; this file is transport only.
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { accountLimits } from '../../accounts/accounts.js';
import { createProject, deleteProject, ownedProjectById, projectDetail, projectViews, updateProject, requireWholeAccount, visibleProjects } from '../../accounts/projects.js';
import type { AppContext } from '../../context.js';
import { callerAccount } from '../project-scope.js';
import { apiKeySecurity, DeletedResponse, errors, ProjectObject } from '../../schemas/common.js';
import { CreateProjectBody, PatchProjectBody, ProjectCreatedResponse, ProjectDetailResponse, ProjectIdParams, ProjectListResponse } from '../../schemas/projects.js';
import { projectLimitFlags } from '../../reports/flags.js';

const IdParams = ProjectIdParams;
const CreateBody = CreateProjectBody;
const PatchBody = PatchProjectBody;
const Created = ProjectCreatedResponse;

export async function projectRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta } = ctx.stores;
  const base = { tags: ['projects'], security: apiKeySecurity };

  app.get('/projects', {
    config: { access: 'apiKey', scope: 'projects:read' },
    schema: {
      ...base, summary: 'List projects',
      response: { 200: ProjectListResponse, ...errors(401, 429) },
    },
  }, async (request) => {
    const account = callerAccount(request);
    const projects = await projectViews(meta, await visibleProjects(meta, account));
    const limit = accountLimits(ctx.config, account).max_projects;
    const flags = projectLimitFlags(projects.length, limit);
    return { projects, has_api_key: true, tier: account.tier, project_limit: limit, ...(flags.length ? { flags } : {}) };
  });

  app.post('/projects', {
    config: { access: 'apiKey', scope: 'projects:write' },
    schema: {
      ...base, summary: 'Create a project (idempotent by name)', body: CreateBody,
      response: { 201: Created, 200: Created, ...errors(400, 401, 403, 409, 429) },
    },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const result = await createProject(ctx.config, meta, requireWholeAccount(callerAccount(request)), body, ctx.publicUrl(request));
    return reply.code(result.status).send(result.body);
  });

  app.get<{ Params: Static<typeof IdParams> }>('/projects/:id', {
    config: { access: 'apiKey', scope: 'projects:read' },
    schema: {
      ...base, summary: 'Project details with today\'s usage', params: IdParams,
      response: { 200: ProjectDetailResponse, ...errors(401, 403, 404, 429) },
    },
  }, async (request) => {
    const { id } = request.params;
    return projectDetail(meta, await ownedProjectById(meta, callerAccount(request), id));
  });

  app.patch<{ Params: Static<typeof IdParams> }>('/projects/:id', {
    config: { access: 'apiKey', scope: 'projects:write' },
    schema: { ...base, summary: 'Rename a project or change its allowed origins', params: IdParams, body: PatchBody, response: { 200: ProjectObject, ...errors(400, 401, 403, 404, 409, 429) } },
  }, async (request) => {
    const { id } = request.params;
    const view = await updateProject(meta, callerAccount(request), id, (request.body ?? {}) as Record<string, unknown>);
    await ctx.stores.counters.invalidate('projects', view.id); // ingestion caches origins by token
    return view;
  });

  app.delete<{ Params: Static<typeof IdParams> }>('/projects/:id', {
    config: { access: 'apiKey', scope: 'projects:write' },
    schema: { ...base, summary: 'Soft-delete a project (its token stops working at once)', params: IdParams, response: { 200: DeletedResponse, ...errors(401, 403, 404, 429) } },
  }, async (request) => {
    const { id } = request.params;
    const result = await deleteProject(meta, callerAccount(request), id);
    await ctx.stores.counters.invalidate('projects', result.deleted); // the token must die at once for ingestion
    return result;
  });
}
