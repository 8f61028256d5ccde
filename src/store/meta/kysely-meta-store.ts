// The MetaStore on Kysely: one implementation for SQLite (embedded) and PostgreSQL (cluster).
import { type Generated, Kysely, Migrator, sql } from 'kysely';
import type {
  Account, AccountUsage, AgentAuthRequest, AgentRequestStatus, AgentSession, AgentToken, BotTrafficDay, DashboardSession, KeyCredential, NamedKey, Experiment, Feedback, ImportJob, ImportStatus, MetaStore, Portfolio, PortfolioContext, PortfolioMember, PortfolioWrite, Project,
  ProjectContext, UsageDelta,
} from '../ports.js';
import { META_MIGRATIONS } from './migrations.js';
import * as creds from './credentials.js';
import * as portfolios from './portfolios.js';

export interface Db {
  accounts: { id: string; email: string; github_login: string | null; tier: string; limits_override: string | null; monthly_spend_cap_dollars: number | null; created_at: string };
  api_keys: { key_hash: string; account_id: string; created_at: string; revoked_at: string | null };
  projects: { id: string; account_id: string; name: string; project_token: string; allowed_origins: string; created_at: string; deleted_at: string | null; source_scan_id: string | null };
  usage_daily: { project_id: string; date: string; events: Generated<number>; reads: Generated<number> };
  experiments: { id: string; project_id: string; account_id: string; name: string; variants: string; goal_event: string; status: string; winner: string | null; created_at: string; updated_at: string; completed_at: string | null };
  identities: { project_id: string; previous_id: string; user_id: string; updated_at: string };
  bot_traffic_daily: { project_id: string; date: string; category: string; actor: string; requests: number; dropped_events: number; last_seen_at: number };
  project_contexts: { project_id: string; context: string; updated_at: string };
  import_jobs: {
    id: string; account_id: string; project_id: string; format: string; filename: string | null; options: string; status: string;
    rows_read: number; rows_imported: number; rows_skipped: number; skipped: string; examples: string; error: string | null;
    created_at: string; updated_at: string; finished_at: string | null;
  };
  feedback: { id: string; account_id: string; project_id: string | null; message: string; command: string | null; context: string | null; created_at: string };
  portfolios: { id: string; account_id: string; slug: string; name: string; created_at: string; updated_at: string };
  portfolio_members: { project_id: string; portfolio_id: string; added_at: string };
  portfolio_contexts: { account_id: string; context: string; updated_at: string };
  dashboard_sessions: { id_hash: string; account_id: string; key_hash: string; created_at: string; expires_at: string };
  named_keys: { id: string; account_id: string; key_hash: string; name: string; scopes: string; project_ids: string | null; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null };
  agent_requests: {
    id: string; status: string; mode: string; client_type: string; client_name: string | null; client_instance_id: string | null; callback_url: string | null; scopes: string;
    code_challenge: string | null; poll_hash: string | null; exchange_hash: string | null; finish_hash: string | null; account_id: string | null; session_id: string | null; created_at: string; expires_at: string; decided_at: string | null;
  };
  agent_sessions: { id: string; account_id: string; auth_request_id: string; client_type: string; client_name: string | null; scopes: string; created_at: string; last_used_at: string | null; refresh_expires_at: string; revoked_at: string | null };
  agent_tokens: { hash: string; session_id: string; kind: string; expires_at: string; retired_at: string | null };
}

/** Rows per bot-traffic upsert statement (7 bound values each, far below SQLite's variable limit). */
const BOT_CHUNK = 500;

const toAccount = (r: Db['accounts']): Account => ({
  id: r.id,
  email: r.email,
  github_login: r.github_login,
  tier: r.tier as Account['tier'],
  limits_override: r.limits_override ? JSON.parse(r.limits_override) : null,
  monthly_spend_cap_dollars: r.monthly_spend_cap_dollars === null ? null : Number(r.monthly_spend_cap_dollars),
  created_at: r.created_at,
});

const toExperiment = (r: Db['experiments']): Experiment => ({
  ...r,
  variants: JSON.parse(r.variants),
  status: r.status as Experiment['status'],
});

export class KyselyMetaStore implements MetaStore {
  /** The embedded engine's online backup into a new file (SQLite); absent on PostgreSQL (pg_dump, docs/portability.md). */
  readonly snapshot?: (path: string) => Promise<void>;

  constructor(
    private readonly db: Kysely<Db>,
    readonly engine: 'sqlite' | 'postgres',
    snapshot?: (path: string) => Promise<void>,
  ) {
    if (snapshot) this.snapshot = snapshot;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: { getMigrations: async () => META_MIGRATIONS } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async createAccount(a: Account, apiKeyHash: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('accounts').values({ ...a, limits_override: a.limits_override ? JSON.stringify(a.limits_override) : null }).execute();
      await tx.insertInto('api_keys').values({ key_hash: apiKeyHash, account_id: a.id, created_at: a.created_at, revoked_at: null }).execute();
    });
  }

  async getAccount(id: string): Promise<Account | null> {
    const r = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute()).map(toAccount);
  }

  async updateAccount(id: string, patch: Partial<Pick<Account, 'tier' | 'limits_override' | 'monthly_spend_cap_dollars'>>): Promise<Account | null> {
    const values: Partial<Db['accounts']> = {};
    if (patch.tier !== undefined) values.tier = patch.tier;
    if (patch.limits_override !== undefined) values.limits_override = patch.limits_override ? JSON.stringify(patch.limits_override) : null;
    if (patch.monthly_spend_cap_dollars !== undefined) values.monthly_spend_cap_dollars = patch.monthly_spend_cap_dollars;
    if (Object.keys(values).length) await this.db.updateTable('accounts').set(values).where('id', '=', id).execute();
    return this.getAccount(id);
  }

  async accountByKeyHash(hash: string): Promise<Account | null> {
    const r = await this.db.selectFrom('api_keys').innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .selectAll('accounts').where('api_keys.key_hash', '=', hash).where('api_keys.revoked_at', 'is', null).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async rotateKey(accountId: string, oldHash: string, newHash: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('api_keys').set({ revoked_at: now }).where('key_hash', '=', oldHash).where('account_id', '=', accountId).execute();
      await tx.insertInto('api_keys').values({ key_hash: newHash, account_id: accountId, created_at: now, revoked_at: null }).execute();
    });
  }

  async ensureKey(accountId: string, hash: string): Promise<void> {
    await this.db.insertInto('api_keys').values({ key_hash: hash, account_id: accountId, created_at: new Date().toISOString(), revoked_at: null })
      .onConflict((oc) => oc.column('key_hash').doNothing()).execute();
  }

  async createProject(p: Project): Promise<void> {
    await this.db.insertInto('projects').values(p).execute();
  }

  async listProjects(accountId: string): Promise<Project[]> {
    return this.db.selectFrom('projects').selectAll().where('account_id', '=', accountId).where('deleted_at', 'is', null)
      .orderBy('created_at').orderBy('id').execute();
  }

  async getProject(id: string): Promise<Project | null> {
    return (await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async projectByName(accountId: string, name: string): Promise<Project | null> {
    return (await this.db.selectFrom('projects').selectAll().where('account_id', '=', accountId).where('name', '=', name)
      .where('deleted_at', 'is', null).executeTakeFirst()) ?? null;
  }

  async projectByToken(token: string): Promise<Project | null> {
    return (await this.db.selectFrom('projects').selectAll().where('project_token', '=', token).executeTakeFirst()) ?? null;
  }

  async updateProject(id: string, patch: Partial<Pick<Project, 'name' | 'allowed_origins' | 'deleted_at'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('projects').set(patch).where('id', '=', id).execute();
  }

  async addUsage(deltas: UsageDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const rows = deltas.map((d) => ({ project_id: d.project_id, date: d.date, events: d.events ?? 0, reads: d.reads ?? 0 }));
    await this.db.insertInto('usage_daily').values(rows)
      .onConflict((oc) => oc.columns(['project_id', 'date']).doUpdateSet({
        events: sql`usage_daily.events + excluded.events`,
        reads: sql`usage_daily.reads + excluded.reads`,
      })).execute();
  }

  async usage(projectIds: string[], date: string) {
    const out = new Map<string, { events: number; reads: number; events_today: number; reads_today: number }>();
    if (projectIds.length === 0) return out;
    const rows = await this.db.selectFrom('usage_daily')
      .select(['project_id',
        sql<number>`sum(events)`.as('events'),
        sql<number>`sum(reads)`.as('reads'),
        sql<number>`sum(case when date = ${date} then events else 0 end)`.as('events_today'),
        sql<number>`sum(case when date = ${date} then reads else 0 end)`.as('reads_today')])
      .where('project_id', 'in', projectIds).groupBy('project_id').execute();
    for (const r of rows) {
      out.set(r.project_id, { events: Number(r.events), reads: Number(r.reads), events_today: Number(r.events_today), reads_today: Number(r.reads_today) });
    }
    return out;
  }

  async accountEvents(accountId: string, fromDate?: string): Promise<number> {
    let q = this.db.selectFrom('usage_daily').innerJoin('projects', 'projects.id', 'usage_daily.project_id')
      .select(sql<number>`coalesce(sum(usage_daily.events), 0)`.as('n')).where('projects.account_id', '=', accountId);
    if (fromDate) q = q.where('usage_daily.date', '>=', fromDate);
    const r = await q.executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async accountUsage(accountId: string, monthStart: string, today: string): Promise<AccountUsage> {
    const r = await this.db.selectFrom('usage_daily').innerJoin('projects', 'projects.id', 'usage_daily.project_id')
      .select([
        sql<number>`coalesce(sum(usage_daily.events), 0)`.as('events'),
        sql<number>`coalesce(sum(usage_daily.reads), 0)`.as('reads'),
        sql<number>`coalesce(sum(case when usage_daily.date >= ${monthStart} then usage_daily.events else 0 end), 0)`.as('events_month'),
        sql<number>`coalesce(sum(case when usage_daily.date >= ${monthStart} then usage_daily.reads else 0 end), 0)`.as('reads_month'),
        sql<number>`coalesce(sum(case when usage_daily.date = ${today} then usage_daily.events else 0 end), 0)`.as('events_today'),
        sql<number>`coalesce(sum(case when usage_daily.date = ${today} then usage_daily.reads else 0 end), 0)`.as('reads_today'),
      ]).where('projects.account_id', '=', accountId).executeTakeFirst();
    return {
      events: Number(r?.events ?? 0), reads: Number(r?.reads ?? 0), events_month: Number(r?.events_month ?? 0),
      reads_month: Number(r?.reads_month ?? 0), events_today: Number(r?.events_today ?? 0), reads_today: Number(r?.reads_today ?? 0),
    };
  }

  async createExperiment(e: Experiment): Promise<void> {
    await this.db.insertInto('experiments').values({ ...e, variants: JSON.stringify(e.variants) }).execute();
  }

  async getExperiment(id: string): Promise<Experiment | null> {
    const r = await this.db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toExperiment(r) : null;
  }

  async listExperiments(projectId: string): Promise<Experiment[]> {
    const rows = await this.db.selectFrom('experiments').selectAll().where('project_id', '=', projectId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toExperiment);
  }

  async experimentByName(projectId: string, name: string): Promise<Experiment | null> {
    const r = await this.db.selectFrom('experiments').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return r ? toExperiment(r) : null;
  }

  async updateExperiment(id: string, patch: Partial<Pick<Experiment, 'status' | 'winner' | 'updated_at' | 'completed_at'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('experiments').set(patch).where('id', '=', id).execute();
  }

  async deleteExperiment(id: string): Promise<void> {
    await this.db.deleteFrom('experiments').where('id', '=', id).execute();
  }

  async setIdentity(projectId: string, previousId: string, userId: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('identities').values({ project_id: projectId, previous_id: previousId, user_id: userId, updated_at: now })
        .onConflict((oc) => oc.columns(['project_id', 'previous_id']).doUpdateSet({ user_id: userId, updated_at: now })).execute();
      // Chains resolve to the newest canonical id: whoever pointed at previousId now points at userId.
      await tx.updateTable('identities').set({ user_id: userId, updated_at: now })
        .where('project_id', '=', projectId).where('user_id', '=', previousId).execute();
    });
  }

  async resolveIdentities(projectId: string, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('identities').select(['previous_id', 'user_id'])
      .where('project_id', '=', projectId).where('previous_id', 'in', ids).execute();
    for (const r of rows) out.set(r.previous_id, r.user_id);
    return out;
  }

  async addBotTraffic(rows: BotTrafficDay[]): Promise<void> {
    // One statement must not name a key twice (PostgreSQL refuses to update a row twice): merge first.
    const merged = new Map<string, BotTrafficDay>();
    for (const r of rows) {
      const k = `${r.project_id}|${r.date}|${r.category}|${r.actor}`;
      const m = merged.get(k);
      if (m) {
        m.requests += r.requests;
        m.dropped_events += r.dropped_events;
        m.last_seen_at = Math.max(m.last_seen_at, r.last_seen_at);
      } else merged.set(k, { ...r });
    }
    if (merged.size === 0) return;
    const all = [...merged.values()];
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < all.length; i += BOT_CHUNK) {
        await tx.insertInto('bot_traffic_daily').values(all.slice(i, i + BOT_CHUNK))
          .onConflict((oc) => oc.columns(['project_id', 'date', 'category', 'actor']).doUpdateSet({
            requests: sql`bot_traffic_daily.requests + excluded.requests`,
            dropped_events: sql`bot_traffic_daily.dropped_events + excluded.dropped_events`,
            // Portable max (SQLite has max(a, b), PostgreSQL greatest(a, b)).
            last_seen_at: sql`case when excluded.last_seen_at > bot_traffic_daily.last_seen_at then excluded.last_seen_at else bot_traffic_daily.last_seen_at end`,
          })).execute();
      }
    });
  }

  async botTraffic(projectIds: string[], fromDate: string, toDate: string): Promise<BotTrafficDay[]> {
    if (projectIds.length === 0) return [];
    const rows = await this.db.selectFrom('bot_traffic_daily').selectAll()
      .where('project_id', 'in', projectIds).where('date', '>=', fromDate).where('date', '<=', toDate)
      .orderBy('project_id').orderBy('date').orderBy('category').orderBy('actor').execute();
    return rows.map((r) => ({ ...r, requests: Number(r.requests), dropped_events: Number(r.dropped_events), last_seen_at: Number(r.last_seen_at) }));
  }

  async pruneBotTraffic(beforeDate: string): Promise<void> {
    await this.db.deleteFrom('bot_traffic_daily').where('date', '<', beforeDate).execute();
  }

  async getProjectContext(projectId: string): Promise<ProjectContext | null> {
    const r = await this.db.selectFrom('project_contexts').select('context').where('project_id', '=', projectId).executeTakeFirst();
    if (!r) return null;
    const c = JSON.parse(r.context) as Partial<ProjectContext>;
    return { goals: c.goals ?? [], activation_events: c.activation_events ?? [], glossary: c.glossary ?? [] };
  }

  async setProjectContext(projectId: string, context: ProjectContext, updatedAt: string): Promise<void> {
    const value = JSON.stringify({ goals: context.goals, activation_events: context.activation_events, glossary: context.glossary });
    await this.db.insertInto('project_contexts').values({ project_id: projectId, context: value, updated_at: updatedAt })
      .onConflict((oc) => oc.column('project_id').doUpdateSet({ context: value, updated_at: updatedAt })).execute();
  }

  // Portfolios (/portfolios, /portfolio-context): the statements live in portfolios.ts.
  listPortfolios(accountId: string): Promise<Portfolio[]> {
    return portfolios.list(this.db, accountId);
  }

  findPortfolio(accountId: string, idOrSlug: string): Promise<Portfolio | null> {
    return portfolios.find(this.db, accountId, idOrSlug);
  }

  portfolioMembers(portfolioIds: string[]): Promise<PortfolioMember[]> {
    return portfolios.members(this.db, portfolioIds);
  }

  createPortfolio(p: Portfolio, projectIds: string[], opts: { move: boolean }): Promise<PortfolioWrite> {
    return portfolios.create(this.db, p, projectIds, opts.move);
  }

  updatePortfolio(id: string, patch: { slug?: string; name?: string; updated_at: string }, projectIds: string[] | null, opts: { move: boolean }): Promise<PortfolioWrite> {
    return portfolios.update(this.db, id, patch, projectIds, opts.move);
  }

  deletePortfolio(id: string): Promise<void> {
    return portfolios.remove(this.db, id);
  }

  getPortfolioContext(accountId: string): Promise<PortfolioContext | null> {
    return portfolios.getContext(this.db, accountId);
  }

  setPortfolioContext(accountId: string, context: PortfolioContext, updatedAt: string): Promise<void> {
    return portfolios.setContext(this.db, accountId, context, updatedAt);
  }

  async createDashboardSession(s: DashboardSession): Promise<void> {
    await this.db.insertInto('dashboard_sessions').values(s).execute();
  }

  async dashboardSession(idHash: string, now: string): Promise<{ session: DashboardSession; account: Account } | null> {
    const s = await this.db.selectFrom('dashboard_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
    if (!s) return null;
    const account = await this.accountByKeyHash(s.key_hash);
    return account && account.id === s.account_id ? { session: s, account } : null;
  }

  async rebindDashboardSession(idHash: string, keyHash: string): Promise<void> {
    await this.db.updateTable('dashboard_sessions').set({ key_hash: keyHash }).where('id_hash', '=', idHash).execute();
  }

  async deleteDashboardSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('dashboard_sessions').where('id_hash', '=', idHash).execute();
  }

  async pruneDashboardSessions(now: string): Promise<void> {
    await this.db.deleteFrom('dashboard_sessions').where('expires_at', '<=', now).execute();
  }

  keyCredential(hash: string, now: string): Promise<KeyCredential | null> {
    return creds.keyCredential(this.db, hash, now, (id) => this.getAccount(id), (h) => this.accountByKeyHash(h));
  }

  createNamedKey(k: NamedKey): Promise<void> {
    return creds.createKey(this.db, k);
  }

  listNamedKeys(accountId: string): Promise<NamedKey[]> {
    return creds.listKeys(this.db, accountId);
  }

  revokeNamedKey(accountId: string, id: string, now: string): Promise<string | null> {
    return creds.revokeKey(this.db, accountId, id, now);
  }

  touchNamedKey(id: string, at: string): Promise<void> {
    return creds.touchKey(this.db, id, at);
  }

  createAgentRequest(r: AgentAuthRequest): Promise<void> {
    return creds.createRequest(this.db, r);
  }

  pruneAgentCredentials(before: string): Promise<void> {
    return creds.pruneAgentCredentials(this.db, before);
  }

  agentRequest(id: string): Promise<AgentAuthRequest | null> {
    return creds.request(this.db, id);
  }

  updateAgentRequest(id: string, from: AgentRequestStatus, patch: Partial<AgentAuthRequest>): Promise<boolean> {
    return creds.updateRequest(this.db, id, from, patch);
  }

  createAgentSession(s: AgentSession, tokens: AgentToken[]): Promise<boolean> {
    return creds.createSession(this.db, s, tokens);
  }

  agentSession(id: string): Promise<AgentSession | null> {
    return creds.session(this.db, id);
  }

  agentToken(hash: string): Promise<{ token: AgentToken; session: AgentSession; account: Account } | null> {
    return creds.token(this.db, hash, (id) => this.getAccount(id));
  }

  rotateAgentTokens(sessionId: string, refreshHash: string, fresh: AgentToken[], refreshExpiresAt: string, now: string): Promise<string[] | null> {
    return creds.rotateTokens(this.db, sessionId, refreshHash, fresh, refreshExpiresAt, now);
  }

  revokeAgentSession(id: string, now: string): Promise<string[]> {
    return creds.revokeSession(this.db, id, now);
  }

  listAgentSessions(accountId: string): Promise<AgentSession[]> {
    return creds.listSessions(this.db, accountId);
  }

  touchAgentSession(id: string, at: string): Promise<void> {
    return creds.touchSession(this.db, id, at);
  }

  async addFeedback(f: Feedback): Promise<void> {
    await this.db.insertInto('feedback').values({ ...f, context: f.context === null ? null : JSON.stringify(f.context) }).execute();
  }

  async listFeedback(opts: { accountId?: string; limit: number }): Promise<Feedback[]> {
    let q = this.db.selectFrom('feedback').selectAll();
    if (opts.accountId !== undefined) q = q.where('account_id', '=', opts.accountId);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({ ...r, context: r.context === null ? null : JSON.parse(r.context) }));
  }

  async createImportJob(j: ImportJob): Promise<void> {
    await this.db.insertInto('import_jobs').values({ ...j, options: JSON.stringify(j.options), skipped: JSON.stringify(j.skipped), examples: JSON.stringify(j.examples) }).execute();
  }

  async updateImportJob(id: string, patch: Partial<Pick<ImportJob, 'status' | 'rows_read' | 'rows_imported' | 'rows_skipped' | 'skipped' | 'examples' | 'error' | 'updated_at' | 'finished_at'>>): Promise<void> {
    const { skipped, examples, ...rest } = patch;
    await this.db.updateTable('import_jobs').set({
      ...rest, ...(skipped !== undefined ? { skipped: JSON.stringify(skipped) } : {}), ...(examples !== undefined ? { examples: JSON.stringify(examples) } : {}),
    }).where('id', '=', id).execute();
  }

  async getImportJob(accountId: string, id: string): Promise<ImportJob | null> {
    const row = await this.db.selectFrom('import_jobs').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return row ? importJobOf(row) : null;
  }

  async importJobsIn(statuses: ImportStatus[]): Promise<ImportJob[]> {
    if (statuses.length === 0) return [];
    const rows = await this.db.selectFrom('import_jobs').selectAll().where('status', 'in', statuses).orderBy('created_at').orderBy('id').execute();
    return rows.map(importJobOf);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function importJobOf(r: Db['import_jobs']): ImportJob {
  return {
    ...r, status: r.status as ImportStatus, options: JSON.parse(r.options), skipped: JSON.parse(r.skipped), examples: JSON.parse(r.examples),
    rows_read: Number(r.rows_read), rows_imported: Number(r.rows_imported), rows_skipped: Number(r.rows_skipped),
  };
}
