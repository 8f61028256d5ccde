// Appendix A: GET / PUT /project-context (a project's goals, activation events and glossary, echoed on the
// analytics reads while non-empty) and POST /account/feedback. Project resolution and tenant isolation as
// every project-scoped endpoint: the caller's own project by name or id, 400 PROJECT_REQUIRED, else 404.
import type { FastifyInstance } from 'fastify';
import { ownedProjectByName } from '../../accounts/projects.js';
import { newId } from '../../accounts/credentials.js';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import { projectContextChanged } from '../../project-context/cache.js';
import { EMPTY_CONTEXT, parseContextBody, parseFeedback } from '../../project-context/rules.js';
import type { Project, ProjectContext } from '../../store/ports.js';
import { callerAccount } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { FeedbackBody, FeedbackResponse, ProjectContextQuery, ProjectContextResponse, PutProjectContextBody } from '../../schemas/project-context.js';

type Obj = Record<string, unknown>;
const bodyObject = (body: unknown): Obj => (body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Obj) : {});

const view = (project: Project, context: ProjectContext) => ({ project: project.name, project_id: project.id, project_context: context });

export async function projectContextRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, counters } = ctx.stores;

  app.get('/project-context', {
    config: { access: 'apiKey', scope: 'projects:read' },
    attachValidation: true,
    schema: {
      tags: ['projects'], summary: "A project's context for agents: goals, activation events, glossary", security: apiKeySecurity,
      querystring: ProjectContextQuery,
      response: { 200: ProjectContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const project = await ownedProjectByName(meta, callerAccount(request), (request.query as Obj).project);
    return view(project, (await meta.getProjectContext(project.id)) ?? EMPTY_CONTEXT);
  });

  app.put('/project-context', {
    config: { access: 'apiKey', scope: 'projects:write' },
    attachValidation: true,
    schema: {
      tags: ['projects'], summary: "Replace a project's context (goals ≤ 5, activation_events ≤ 8, glossary ≤ 10); answers ok: true", security: apiKeySecurity,
      body: PutProjectContextBody,
      response: { 200: ProjectContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    if (request.body !== undefined && request.body !== null && (typeof request.body !== 'object' || Array.isArray(request.body))) {
      throw badRequest('INVALID_BODY', 'the body must be a JSON object {project, goals, activation_events, glossary}');
    }
    const body = bodyObject(request.body);
    const project = await ownedProjectByName(meta, callerAccount(request), body.project);
    const context = parseContextBody(body);
    await meta.setProjectContext(project.id, context, new Date().toISOString());
    await projectContextChanged(counters, project.id);
    return { ok: true as const, ...view(project, context) };
  });

  app.post('/account/feedback', {
    config: { access: 'apiKey', scope: 'feedback:write' },
    attachValidation: true,
    schema: {
      tags: ['account'], summary: 'Send feedback to the operators of this server (what worked, what did not)', security: apiKeySecurity,
      body: FeedbackBody,
      response: { 200: FeedbackResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    if (request.body !== undefined && request.body !== null && (typeof request.body !== 'object' || Array.isArray(request.body))) {
      throw badRequest('INVALID_BODY', 'the body must be a JSON object {message, project?, command?, context?}');
    }
    const body = bodyObject(request.body);
    const account = callerAccount(request);
    // §1.3 order: a missing required field, then the resource lookup, then the other checks.
    if (body.message === undefined || body.message === null || (typeof body.message === 'string' && body.message.trim() === '')) throw badRequest('MISSING_FIELDS', 'message is required: say what worked, what did not, or what is missing');
    const project = typeof body.project === 'string' && body.project.trim() !== '' ? await ownedProjectByName(meta, account, body.project.trim()) : null;
    const input = parseFeedback(body);
    await meta.addFeedback({ id: newId('fb_'), account_id: account.id, project_id: project?.id ?? null, ...input, created_at: new Date().toISOString() });
    return { ok: true as const };
  });
}
