// GET/POST /portfolios, GET/PATCH/DELETE /portfolios/{idOrSlug} and GET/PUT /portfolio-context (referenced by the
// official CLI, Appendix A): named groups of the caller's projects and their shared context. Transport only —
// the rules live in src/portfolios/.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import {
  createPortfolio, deletePortfolio, getPortfolio, getPortfolioContext, listPortfolios, ownedPortfolio, setPortfolioContext, updatePortfolio,
} from '../../portfolios/portfolios.js';
import { parseCreateBody, parsePatchBody, parsePortfolioContextBody, requirePatchFields } from '../../portfolios/rules.js';
import { wholeAccount } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import {
  CreatePortfolioBody, PatchPortfolioBody, PortfolioContextResponse, PortfolioDeleted, PortfolioList, PortfolioParams, PortfolioResponse, PutPortfolioContextBody,
} from '../../schemas/portfolios.js';

type Obj = Record<string, unknown>;

/** The JSON object body (an absent body is an empty one); anything else is 400 INVALID_BODY. */
function objectBody(request: FastifyRequest, shape: string): Obj {
  const b = request.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw badRequest('INVALID_BODY', `the body must be a JSON object ${shape}`);
  return b as Obj;
}

const idOrSlug = (request: FastifyRequest) => (request.params as { idOrSlug: string }).idOrSlug;

export async function portfolioRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { meta } = ctx.stores;
  const base = { tags: ['portfolios'], security: apiKeySecurity };
  // Schema mismatches are attached, not answered: the rules answer with the contract's codes and messages.
  const opts = (scope: 'projects:read' | 'projects:write') => ({ config: { access: 'apiKey' as const, scope }, attachValidation: true });

  app.get('/portfolios', {
    ...opts('projects:read'),
    schema: { ...base, summary: 'List portfolios (named groups of projects) with their member projects', response: { 200: PortfolioList, ...errors(401, 429) } },
  }, async (request) => listPortfolios(meta, wholeAccount(request)));

  app.post('/portfolios', {
    ...opts('projects:write'),
    schema: {
      ...base, summary: 'Create a portfolio: {name, slug?, projects?, allow_move?}', body: CreatePortfolioBody,
      response: { 201: PortfolioResponse, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (request, reply) => {
    const input = parseCreateBody(objectBody(request, '{name, slug?, projects?, allow_move?}'));
    return reply.code(201).send(await createPortfolio(meta, wholeAccount(request), input));
  });

  app.get('/portfolios/:idOrSlug', {
    ...opts('projects:read'),
    schema: { ...base, summary: 'One portfolio by id or slug, with its member projects', params: PortfolioParams, response: { 200: PortfolioResponse, ...errors(401, 404, 429) } },
  }, async (request) => getPortfolio(meta, wholeAccount(request), idOrSlug(request)));

  app.patch('/portfolios/:idOrSlug', {
    ...opts('projects:write'),
    schema: {
      ...base, summary: 'Rename, re-slug or replace the member projects of a portfolio', params: PortfolioParams, body: PatchPortfolioBody,
      response: { 200: PortfolioResponse, ...errors(400, 401, 404, 409, 429) },
    },
  }, async (request) => {
    const body = objectBody(request, '{name?, slug?, projects?, allow_move?}');
    const account = wholeAccount(request);
    // §1.3 order: a missing field, then the lookup, then validation, then conflicts.
    requirePatchFields(body);
    const current = await ownedPortfolio(meta, account, idOrSlug(request));
    return updatePortfolio(meta, account, current, parsePatchBody(body));
  });

  app.delete('/portfolios/:idOrSlug', {
    ...opts('projects:write'),
    schema: { ...base, summary: 'Delete a portfolio (its projects are untouched)', params: PortfolioParams, response: { 200: PortfolioDeleted, ...errors(401, 404, 429) } },
  }, async (request) => deletePortfolio(meta, wholeAccount(request), idOrSlug(request)));

  app.get('/portfolio-context', {
    ...opts('projects:read'),
    schema: {
      ...base, summary: "The account's shared portfolio context: goals, surface roles, shared milestones, glossary",
      response: { 200: PortfolioContextResponse, ...errors(401, 429) },
    },
  }, async (request) => getPortfolioContext(meta, wholeAccount(request)));

  app.put('/portfolio-context', {
    ...opts('projects:write'),
    schema: {
      ...base, summary: "Replace the account's portfolio context (goals ≤ 5, surface_roles ≤ 20, shared_milestones ≤ 8, glossary ≤ 10)",
      body: PutPortfolioContextBody,
      response: { 200: PortfolioContextResponse, ...errors(400, 401, 404, 429) },
    },
  }, async (request) => {
    const input = parsePortfolioContextBody(objectBody(request, '{goals, surface_roles, shared_milestones, glossary}'));
    return setPortfolioContext(meta, wholeAccount(request), input);
  });
}
