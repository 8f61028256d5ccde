// Portfolios: named groups of an account's projects (a project belongs to at most one; moving it needs
// allow_move), and the account's shared portfolio context. Account-scoped: another account's portfolios and
// projects are simply not found. Deleted projects drop out of memberships and surface roles on read.
import { newId } from '../accounts/credentials.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { invalid } from '../project-context/rules.js';
import type { Account, MetaStore, Portfolio, PortfolioContext, PortfolioWrite, Project } from '../store/ports.js';
import { type PortfolioContextInput, PORTFOLIO_LIMITS, type PortfolioInput, type PortfolioPatch, SLUG } from './rules.js';

export interface PortfolioView {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  updated_at: string;
  members: { project_id: string; project: string; added_at: string }[];
}

export interface PortfolioContextView {
  goals: string[];
  surface_roles: { project_id: string; project: string; role: string }[];
  shared_milestones: string[];
  glossary: { term: string; definition: string }[];
}

const quoted = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');

/** The account's live projects by id, and a resolver from a name or id to one of them (404 naming the unknown ones). */
async function accountProjects(meta: MetaStore, account: Account) {
  const projects = await meta.listProjects(account.id);
  const byId = new Map(projects.map((p) => [p.id, p]));
  const byName = new Map(projects.map((p) => [p.name, p]));
  const resolve = (refs: string[], field: string): Project[] => {
    const found = refs.map((r) => byName.get(r) ?? byId.get(r));
    const missing = refs.filter((_, i) => found[i] === undefined);
    if (missing.length) {
      throw notFound(`${field}: no project ${quoted(missing)} in this account (deleted projects cannot be added); list your projects with GET /projects`);
    }
    return [...new Map(found.map((p) => [p!.id, p!])).values()];
  };
  return { byId, resolve };
}

async function views(meta: MetaStore, account: Account, portfolios: Portfolio[]): Promise<PortfolioView[]> {
  if (portfolios.length === 0) return [];
  const [{ byId }, members] = await Promise.all([accountProjects(meta, account), meta.portfolioMembers(portfolios.map((p) => p.id))]);
  return portfolios.map((p) => ({
    id: p.id, slug: p.slug, name: p.name, created_at: p.created_at, updated_at: p.updated_at,
    members: members.filter((m) => m.portfolio_id === p.id && byId.has(m.project_id))
      .map((m) => ({ project_id: m.project_id, project: byId.get(m.project_id)!.name, added_at: m.added_at }))
      .sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : 0)),
  }));
}

/** One of the caller's portfolios by id or slug (404 otherwise, another account's included). */
export async function ownedPortfolio(meta: MetaStore, account: Account, idOrSlug: string): Promise<Portfolio> {
  // Only an id or a slug can match; anything else (a NUL byte PostgreSQL refuses, say) never reaches the store.
  const p = /^pf_[a-z0-9]{1,64}$/.test(idOrSlug) || SLUG.test(idOrSlug) ? await meta.findPortfolio(account.id, idOrSlug) : null;
  if (!p) throw notFound(`portfolio "${idOrSlug}" not found; list yours with GET /portfolios`);
  return p;
}

export async function listPortfolios(meta: MetaStore, account: Account): Promise<{ portfolios: PortfolioView[] }> {
  return { portfolios: await views(meta, account, await meta.listPortfolios(account.id)) };
}

export async function getPortfolio(meta: MetaStore, account: Account, idOrSlug: string): Promise<{ portfolio: PortfolioView }> {
  const [view] = await views(meta, account, [await ownedPortfolio(meta, account, idOrSlug)]);
  return { portfolio: view };
}

/** A refused write as the contract's 409, naming the projects and the portfolios holding them. */
async function refusal(meta: MetaStore, account: Account, result: Exclude<PortfolioWrite, { ok: true }>, slug: string | undefined, projects: Project[]) {
  if (result.reason === 'slug_taken') return conflict('PORTFOLIO_SLUG_EXISTS', `another portfolio of this account already has slug "${slug}"; choose another slug or update that one with PATCH /portfolios/${slug}`);
  const slugs = new Map((await meta.listPortfolios(account.id)).map((p) => [p.id, p.slug]));
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const held = result.conflicts.map((c) => `"${names.get(c.project_id) ?? c.project_id}" (in portfolio "${slugs.get(c.portfolio_id) ?? c.portfolio_id}")`);
  return conflict('PROJECT_IN_PORTFOLIO', `a project belongs to at most one portfolio: ${held.join(', ')}; send allow_move: true (CLI: --move) to move ${held.length > 1 ? 'them' : 'it'} here`);
}

export async function createPortfolio(meta: MetaStore, account: Account, input: PortfolioInput): Promise<{ ok: true; portfolio: PortfolioView }> {
  const projects = (await accountProjects(meta, account)).resolve(input.projects, 'projects');
  if ((await meta.listPortfolios(account.id)).length >= PORTFOLIO_LIMITS.portfolios) {
    throw forbidden(`portfolio limit reached (${PORTFOLIO_LIMITS.portfolios} per account); delete a portfolio first`);
  }
  const now = new Date().toISOString();
  const portfolio: Portfolio = { id: newId('pf_'), account_id: account.id, slug: input.slug, name: input.name, created_at: now, updated_at: now };
  const result = await meta.createPortfolio(portfolio, projects.map((p) => p.id), { move: input.move });
  if (!result.ok) throw await refusal(meta, account, result, input.slug, projects);
  return { ok: true, ...(await getPortfolio(meta, account, portfolio.id)) };
}

export async function updatePortfolio(meta: MetaStore, account: Account, current: Portfolio, patch: PortfolioPatch): Promise<{ ok: true; portfolio: PortfolioView }> {
  const projects = patch.projects === undefined ? null : (await accountProjects(meta, account)).resolve(patch.projects, 'projects');
  const changes = { ...(patch.slug !== undefined ? { slug: patch.slug } : {}), ...(patch.name !== undefined ? { name: patch.name } : {}), updated_at: new Date().toISOString() };
  const result = await meta.updatePortfolio(current.id, changes, projects === null ? null : projects.map((p) => p.id), { move: patch.move });
  if (!result.ok) throw await refusal(meta, account, result, patch.slug, projects ?? []);
  return { ok: true, ...(await getPortfolio(meta, account, current.id)) };
}

export async function deletePortfolio(meta: MetaStore, account: Account, idOrSlug: string): Promise<{ ok: true; deleted: string }> {
  const p = await ownedPortfolio(meta, account, idOrSlug);
  await meta.deletePortfolio(p.id);
  return { ok: true, deleted: p.id };
}

export const EMPTY_PORTFOLIO_CONTEXT: PortfolioContextView = Object.freeze({ goals: [], surface_roles: [], shared_milestones: [], glossary: [] });

/** The stored context with each surface role's current project name; roles of deleted projects drop out. */
function contextView(stored: PortfolioContext | null, byId: Map<string, Project>): PortfolioContextView {
  if (!stored) return EMPTY_PORTFOLIO_CONTEXT;
  return {
    goals: stored.goals,
    surface_roles: stored.surface_roles.filter((r) => byId.has(r.project_id)).map((r) => ({ project_id: r.project_id, project: byId.get(r.project_id)!.name, role: r.role })),
    shared_milestones: stored.shared_milestones,
    glossary: stored.glossary,
  };
}

export async function getPortfolioContext(meta: MetaStore, account: Account): Promise<{ portfolio_context: PortfolioContextView }> {
  const [{ byId }, stored] = await Promise.all([accountProjects(meta, account), meta.getPortfolioContext(account.id)]);
  return { portfolio_context: contextView(stored, byId) };
}

export async function setPortfolioContext(meta: MetaStore, account: Account, input: PortfolioContextInput): Promise<{ ok: true; portfolio_context: PortfolioContextView }> {
  const { byId, resolve } = await accountProjects(meta, account);
  resolve(input.surface_roles.map((r) => r.project), 'surface_roles'); // 404 naming every unknown project
  const resolved = input.surface_roles.map((r) => ({ project: resolve([r.project], 'surface_roles')[0], role: r.role }));
  const seen = new Set<string>();
  for (const r of resolved) {
    if (seen.has(r.project.id)) throw invalid(`surface_roles names project "${r.project.name}" more than once; give each project one role`);
    seen.add(r.project.id);
  }
  const context: PortfolioContext = {
    goals: input.goals,
    surface_roles: resolved.map((r) => ({ project_id: r.project.id, role: r.role })),
    shared_milestones: input.shared_milestones,
    glossary: input.glossary,
  };
  await meta.setPortfolioContext(account.id, context, new Date().toISOString());
  return { ok: true, portfolio_context: contextView(context, byId) };
}
