// The portfolio statements of the Kysely meta store (SQLite and PostgreSQL alike): portfolios, their members
// (keyed by project, so a project is in at most one portfolio) and the account's portfolio context.
import type { Kysely } from 'kysely';
import type { Portfolio, PortfolioContext, PortfolioMember, PortfolioWrite } from '../ports.js';
import type { Db } from './kysely-meta-store.js';

/** Thrown inside a portfolio transaction to roll it back with the refusal the caller returns. */
class RefusedWrite extends Error {
  constructor(readonly result: Exclude<PortfolioWrite, { ok: true }>) {
    super(result.reason);
  }
}

export function list(db: Kysely<Db>, accountId: string): Promise<Portfolio[]> {
  return db.selectFrom('portfolios').selectAll().where('account_id', '=', accountId).orderBy('slug').execute();
}

export async function find(db: Kysely<Db>, accountId: string, idOrSlug: string): Promise<Portfolio | null> {
  const byId = await db.selectFrom('portfolios').selectAll().where('account_id', '=', accountId).where('id', '=', idOrSlug).executeTakeFirst();
  if (byId) return byId;
  return (await db.selectFrom('portfolios').selectAll().where('account_id', '=', accountId).where('slug', '=', idOrSlug).executeTakeFirst()) ?? null;
}

export function members(db: Kysely<Db>, portfolioIds: string[]): Promise<PortfolioMember[]> {
  if (portfolioIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('portfolio_members').innerJoin('projects', 'projects.id', 'portfolio_members.project_id')
    .select(['portfolio_members.portfolio_id', 'portfolio_members.project_id', 'portfolio_members.added_at'])
    .where('portfolio_members.portfolio_id', 'in', portfolioIds).where('projects.deleted_at', 'is', null)
    .orderBy('portfolio_members.portfolio_id').orderBy('portfolio_members.added_at').orderBy('portfolio_members.project_id').execute();
}

export function create(db: Kysely<Db>, p: Portfolio, projectIds: string[], move: boolean): Promise<PortfolioWrite> {
  return write(db, p.account_id, p.slug, async (tx) => {
    await tx.insertInto('portfolios').values(p).execute();
    await setMembers(tx, p.id, projectIds, p.created_at, move);
  });
}

export async function update(
  db: Kysely<Db>, id: string, patch: { slug?: string; name?: string; updated_at: string }, projectIds: string[] | null, move: boolean,
): Promise<PortfolioWrite> {
  const current = await db.selectFrom('portfolios').select(['account_id', 'slug']).where('id', '=', id).executeTakeFirst();
  if (!current) return { ok: true };
  return write(db, current.account_id, patch.slug !== undefined && patch.slug !== current.slug ? patch.slug : null, async (tx) => {
    await tx.updateTable('portfolios').set(patch).where('id', '=', id).execute();
    if (projectIds !== null) await setMembers(tx, id, projectIds, patch.updated_at, move);
  });
}

export async function remove(db: Kysely<Db>, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('portfolio_members').where('portfolio_id', '=', id).execute();
    await tx.deleteFrom('portfolios').where('id', '=', id).execute();
  });
}

/**
 * One portfolio write in a transaction. `newSlug` (when the write claims a slug) is checked first; a concurrent
 * writer that takes it between the check and the insert trips the unique index instead, answered the same way.
 */
async function write(db: Kysely<Db>, accountId: string, newSlug: string | null, body: (tx: Kysely<Db>) => Promise<void>): Promise<PortfolioWrite> {
  const slugTaken = async (q: Kysely<Db>) => newSlug !== null
    && (await q.selectFrom('portfolios').select('id').where('account_id', '=', accountId).where('slug', '=', newSlug).executeTakeFirst()) !== undefined;
  try {
    await db.transaction().execute(async (tx) => {
      if (await slugTaken(tx)) throw new RefusedWrite({ ok: false, reason: 'slug_taken' });
      await body(tx);
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof RefusedWrite) return err.result;
    if (await slugTaken(db)) return { ok: false, reason: 'slug_taken' };
    throw err;
  }
}

/**
 * Make `projectIds` exactly the members of `portfolioId`. Projects held by another portfolio refuse the write
 * unless `move`. Checked again after the insert: a concurrent writer that claimed one of the projects meanwhile
 * wins (the insert skipped it), and this write is refused rather than left short of a member.
 */
async function setMembers(tx: Kysely<Db>, portfolioId: string, projectIds: string[], at: string, move: boolean): Promise<void> {
  const ids = [...new Set(projectIds)];
  const elsewhere = async () => (ids.length === 0 ? [] : tx.selectFrom('portfolio_members').select(['project_id', 'portfolio_id'])
    .where('project_id', 'in', ids).where('portfolio_id', '<>', portfolioId).orderBy('project_id').execute());
  const held = await elsewhere();
  if (held.length > 0) {
    if (!move) throw new RefusedWrite({ ok: false, reason: 'in_other_portfolio', conflicts: held });
    await tx.deleteFrom('portfolio_members').where('project_id', 'in', held.map((h) => h.project_id)).where('portfolio_id', '<>', portfolioId).execute();
  }
  let gone = tx.deleteFrom('portfolio_members').where('portfolio_id', '=', portfolioId);
  if (ids.length > 0) gone = gone.where('project_id', 'not in', ids);
  await gone.execute();
  if (ids.length === 0) return;
  await tx.insertInto('portfolio_members').values(ids.map((project_id) => ({ project_id, portfolio_id: portfolioId, added_at: at })))
    .onConflict((oc) => oc.column('project_id').doNothing()).execute();
  const raced = await elsewhere();
  if (raced.length > 0) throw new RefusedWrite({ ok: false, reason: 'in_other_portfolio', conflicts: raced });
}

export async function getContext(db: Kysely<Db>, accountId: string): Promise<PortfolioContext | null> {
  const r = await db.selectFrom('portfolio_contexts').select('context').where('account_id', '=', accountId).executeTakeFirst();
  if (!r) return null;
  const c = JSON.parse(r.context) as Partial<PortfolioContext>;
  return { goals: c.goals ?? [], surface_roles: c.surface_roles ?? [], shared_milestones: c.shared_milestones ?? [], glossary: c.glossary ?? [] };
}

export async function setContext(db: Kysely<Db>, accountId: string, context: PortfolioContext, updatedAt: string): Promise<void> {
  const value = JSON.stringify({ goals: context.goals, surface_roles: context.surface_roles, shared_milestones: context.shared_milestones, glossary: context.glossary });
  await db.insertInto('portfolio_contexts').values({ account_id: accountId, context: value, updated_at: updatedAt })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ context: value, updated_at: updatedAt })).execute();
}
