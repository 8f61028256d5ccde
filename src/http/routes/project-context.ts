// Appendix A: GET / PUT /project-context (a project's goals, activation events and glossary, echoed on the
// analytics reads while non-empty) and POST /account/feedback. Project resolution and tenant isolation as
// every project-scoped endpoint: the caller's own project by name or id, 400 PROJECT_REQUIRED, else 404.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { ownedProjectByName } from '../../accounts/projects.js';
import { newId } from '../../accounts/credentials.js';
import type { AppContext } from '../../context.js';
import { projectContextChanged } from '../../project-context/cache.js';
import { contextOfBody, EMPTY_CONTEXT, feedbackOfBody } from '../../project-context/rules.js';
import type { Project, ProjectContext } from '../../store/ports.js';
import { bodyObject, deferBodyVerdict, deferNullableBodyVerdict, requiredFields, validBody } from '../body.js';
import { callerAccount } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { FeedbackBody, FeedbackResponse, ProjectContextQuery, ProjectContextResponse, PutProjectContextBody } from '../../schemas/project-context.js';


const view = (project: Project, context: ProjectContext) => ({ project: project.name, project_id: project.id, project_context: context });

export async function projectContextRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta, counters } = ctx.stores;

  app.withTypeProvider<TypeBoxTypeProvider>().get('/project-context', {
    config: { access: 'apiKey', scope: 'projects:read' },
    schema: {
      tags: ['projects'], summary: "A project's context for agents: goals, activation events, glossary", security: apiKeySecurity,
      querystring: ProjectContextQuery,
      response: { 200: ProjectContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const project = await ownedProjectByName(meta, callerAccount(request), request.query.project);
    return view(project, (await meta.getProjectContext(project.id)) ?? EMPTY_CONTEXT);
  });

  // The body schema validates (INVALID_BODY naming the field and the limit) after the project lookup (§1.3).
  app.put('/project-context', {
    config: { access: 'apiKey', scope: 'projects:write' },
    ...deferBodyVerdict,
    schema: {
      tags: ['projects'], summary: "Replace a project's context (goals ≤ 5, activation_events ≤ 8, glossary ≤ 10); answers ok: true", security: apiKeySecurity,
      body: PutProjectContextBody,
      response: { 200: ProjectContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const fields = bodyObject(request, '{project, goals, activation_events, glossary}');
    const project = await ownedProjectByName(meta, callerAccount(request), fields.project);
    const context = contextOfBody(validBody<Static<typeof PutProjectContextBody>>(request));
    await meta.setProjectContext(project.id, context, new Date().toISOString());
    await projectContextChanged(counters, project.id);
    return { ok: true as const, ...view(project, context) };
  });

  // The body schema validates; a missing message (absent, null or blank) answers before the project lookup (§1.3).
  app.post('/account/feedback', {
    config: { access: 'apiKey', scope: 'feedback:write' },
    ...deferNullableBodyVerdict,
    schema: {
      tags: ['account'], summary: 'Send feedback to the operators of this server (what worked, what did not)', security: apiKeySecurity,
      body: FeedbackBody,
      response: { 200: FeedbackResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const fields = bodyObject(request, '{message, project?, command?, context?}');
    const account = callerAccount(request);
    requiredFields(request, [], ['message']);
    const project = typeof fields.project === 'string' && fields.project.trim() !== '' ? await ownedProjectByName(meta, account, fields.project.trim()) : null;
    const input = feedbackOfBody(validBody<Static<typeof FeedbackBody>>(request));
    await meta.addFeedback({ id: newId('fb_'), account_id: account.id, project_id: project?.id ?? null, ...input, created_at: new Date().toISOString() });
    return { ok: true as const };
  });
}
