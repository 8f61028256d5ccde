// GET/POST /portfolios, GET/PATCH/DELETE /portfolios/{idOrSlug} and GET/PUT /portfolio-context (referenced by the
// official CLI, Appendix A): named groups of the caller's projects and their shared context. Transport only —
// the rules live in src/portfolios/.
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import {
  createPortfolio, deletePortfolio, getPortfolio, getPortfolioContext, listPortfolios, ownedPortfolio, setPortfolioContext, updatePortfolio,
} from '../../portfolios/portfolios.js';
import { createInput, patchInput, portfolioContextOfBody, requireNameOrSlug, requirePatchFields } from '../../portfolios/rules.js';
import { bodyObject, deferBodyVerdict, deferNullableBodyVerdict, validBody } from '../body.js';
import { wholeAccount } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import {
  CreatePortfolioBody, PatchPortfolioBody, PortfolioContextResponse, PortfolioDeleted, PortfolioList, PortfolioParams, PortfolioResponse, PutPortfolioContextBody,
} from '../../schemas/portfolios.js';

export async function portfolioRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta } = ctx.stores;
  const base = { tags: ['portfolios'], security: apiKeySecurity };
  // Reads: the path is validated by its schema. Writes: so is the body, its verdict answered by the handler after
  // the MISSING_FIELDS checks and the portfolio lookup (§1.3), with each field's message (http/errors.ts).
  const reads = { config: { access: 'apiKey' as const, scope: 'projects:read' as const } };
  const writes = { config: { access: 'apiKey' as const, scope: 'projects:write' as const } };
  type ByIdOrSlug = { Params: Static<typeof PortfolioParams> };

  app.get('/portfolios', {
    ...reads,
    schema: { ...base, summary: 'List portfolios (named groups of projects) with their member projects', response: { 200: PortfolioList, ...errors(401, 429) } },
  }, async (request) => listPortfolios(meta, wholeAccount(request)));

  app.post('/portfolios', {
    ...writes,
    ...deferNullableBodyVerdict,
    schema: {
      ...base, summary: 'Create a portfolio: {name, slug?, projects?, allow_move?}', body: CreatePortfolioBody,
      response: { 201: PortfolioResponse, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (request, reply) => {
    requireNameOrSlug(bodyObject(request, '{name, slug?, projects?, allow_move?}'));
    const input = createInput(validBody<Static<typeof CreatePortfolioBody>>(request));
    return reply.code(201).send(await createPortfolio(meta, wholeAccount(request), input));
  });

  app.get<ByIdOrSlug>('/portfolios/:idOrSlug', {
    ...reads,
    schema: { ...base, summary: 'One portfolio by id or slug, with its member projects', params: PortfolioParams, response: { 200: PortfolioResponse, ...errors(401, 404, 429) } },
  }, async (request) => getPortfolio(meta, wholeAccount(request), request.params.idOrSlug));

  app.patch<ByIdOrSlug>('/portfolios/:idOrSlug', {
    ...writes,
    ...deferBodyVerdict,
    schema: {
      ...base, summary: 'Rename, re-slug or replace the member projects of a portfolio', params: PortfolioParams, body: PatchPortfolioBody,
      response: { 200: PortfolioResponse, ...errors(400, 401, 404, 409, 429) },
    },
  }, async (request) => {
    const account = wholeAccount(request);
    // §1.3 order: a missing field, then the lookup, then the schema's verdict, then conflicts.
    requirePatchFields(bodyObject(request, '{name?, slug?, projects?, allow_move?}'));
    const current = await ownedPortfolio(meta, account, request.params.idOrSlug);
    return updatePortfolio(meta, account, current, patchInput(validBody<Static<typeof PatchPortfolioBody>>(request)));
  });

  app.delete<ByIdOrSlug>('/portfolios/:idOrSlug', {
    ...writes,
    schema: { ...base, summary: 'Delete a portfolio (its projects are untouched)', params: PortfolioParams, response: { 200: PortfolioDeleted, ...errors(401, 404, 429) } },
  }, async (request) => deletePortfolio(meta, wholeAccount(request), request.params.idOrSlug));

  app.get('/portfolio-context', {
    ...reads,
    schema: {
      ...base, summary: "The account's shared portfolio context: goals, surface roles, shared milestones, glossary",
      response: { 200: PortfolioContextResponse, ...errors(401, 429) },
    },
  }, async (request) => getPortfolioContext(meta, wholeAccount(request)));

  // The body schema validates (INVALID_BODY naming the field and the limit, http/errors.ts).
  app.put('/portfolio-context', {
    ...writes,
    ...deferBodyVerdict,
    schema: {
      ...base, summary: "Replace the account's portfolio context (goals ≤ 5, surface_roles ≤ 20, shared_milestones ≤ 8, glossary ≤ 10)",
      body: PutPortfolioContextBody,
      response: { 200: PortfolioContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    bodyObject(request, '{goals, surface_roles, shared_milestones, glossary}');
    const input = portfolioContextOfBody(validBody<Static<typeof PutPortfolioContextBody>>(request));
    return setPortfolioContext(meta, wholeAccount(request), input);
  });
}
