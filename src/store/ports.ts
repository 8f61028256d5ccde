// The storage ports: every engine (DuckDB/ClickHouse for events, SQLite/PostgreSQL for meta,
// memory/Redis for the bus and counters) implements these, and nothing above store/ knows which.

/** One stored event: the wide row of docs/ingestion.md#the-events-table. Column names are identical in every engine. */
export interface EventRow {
  id: string; // ULID assigned at ingest, before the write (dedup key)
  project_id: string;
  ts: number; // event time, epoch ms
  date: string; // UTC date of ts, YYYY-MM-DD
  received_at: number; // epoch ms
  event: string;
  user_id: string | null;
  session_id: string | null;
  // Promoted columns, filled from properties at ingest for fast breakdowns.
  path: string | null;
  url: string | null;
  hostname: string | null;
  referrer: string | null;
  referrer_domain: string | null;
  title: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  language: string | null;
  screen: string | null;
  properties: string | null; // the full properties object as sent, JSON text (null when none)
}

/** Column order used by every adapter's bulk insert. */
export const EVENT_COLUMNS = [
  'id', 'project_id', 'ts', 'date', 'received_at', 'event', 'user_id', 'session_id',
  'path', 'url', 'hostname', 'referrer', 'referrer_domain', 'title',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
  'browser', 'browser_version', 'os', 'device', 'country', 'language', 'screen', 'properties',
] as const satisfies readonly (keyof EventRow)[];

/** Properties promoted to their own column (same name). */
/** Event names that never make a session interactive (the bounce rule of §1.6). */
export const NON_INTERACTIVE_EVENTS = ['page_view', '$impression', '$scroll_depth', '$error', '$time_on_page', '$performance', '$web_vitals'] as const;

/** SQL list literal of the non-interactive names (constants, never user input). */
export const NON_INTERACTIVE_SQL = `(${NON_INTERACTIVE_EVENTS.map((e) => `'${e}'`).join(', ')})`;

export const PROMOTED_PROPERTIES = [
  'path', 'url', 'hostname', 'referrer', 'title', 'utm_source', 'utm_medium', 'utm_campaign',
  'utm_content', 'utm_term', 'browser', 'browser_version', 'os', 'device', 'language', 'screen',
] as const;

/** Property keys allowed anywhere (contract §1.7); checked before a key reaches a JSON path. */
export const PROPERTY_KEY = /^[A-Za-z0-9_]{1,128}$/;

/**
 * Promoted columns that are faithful copies of their property (ingestion copies scalars as text;
 * `hostname` is not: it falls back to the URL's host, so it is read from the JSON).
 */
export const COLUMN_BACKED_PROPERTIES: readonly string[] = PROMOTED_PROPERTIES.filter((k) => k !== 'hostname');

/** Keys whose breakdown reads a column: the column-backed ones and `country` (its column, from a trusted edge header). */
export const BREAKDOWN_COLUMN_KEYS: readonly string[] = [...COLUMN_BACKED_PROPERTIES, 'country'];

/**
 * Whether a breakdown of property `key` (`property:<key>`, `with:<key>`) reads the properties JSON: a valid key
 * not among BREAKDOWN_COLUMN_KEYS. The DuckDB property-values rollup (store/duckdb/rollups.ts) keeps exactly these.
 */
export const breakdownReadsJson = (key: string): boolean => PROPERTY_KEY.test(key) && !BREAKDOWN_COLUMN_KEYS.includes(key);

/** The file formats an engine writes exports in (docs/portability.md). */
export type ExportFileFormat = 'ndjson' | 'csv' | 'parquet';

export type SqlValue = string | number | boolean | null;

/** A compiled statement: SQL text with the engine's placeholders plus bound values. */
export interface CompiledSql {
  sql: string;
  params: SqlValue[];
}

/** A journal position: the byte after the last folded record of a segment. */
export interface JournalMark {
  segment: number;
  offset: number;
}

export interface EventStore {
  readonly engine: 'duckdb' | 'clickhouse';
  /** Create or upgrade the schema (idempotent). */
  migrate(): Promise<void>;
  /** Insert a batch in one transaction; resolves only once the rows are durable. */
  insert(rows: EventRow[]): Promise<void>;
  /**
   * Engines that fold the ingest journal (docs/ingestion.md#durability-the-ingest-journal): insert a batch and record
   * the journal position it reaches in the same transaction, so a restart replays exactly what is missing.
   */
  readonly journal?: {
    /** `batch`: UTF-8 JSON, one array of event rows keyed by EVENT_COLUMNS (empty: only the mark moves). */
    fold(batch: Uint8Array, mark: JournalMark): Promise<void>;
    /** The position recorded by the last fold (null: nothing folded yet). */
    mark(): Promise<JournalMark | null>;
    /** Reads wait for `fn` first (acknowledged, not yet folded events become visible). */
    setReadBarrier(fn: () => Promise<void>): void;
  };
  /** Run a read statement produced by the SQL compiler; rows come back as plain objects. */
  query<T = Record<string, unknown>>(q: CompiledSql): Promise<T[]>;
  /**
   * Write the rows of an export statement (query/sql/export.ts) to a new file at `path` with the engine's own
   * writer, never through JavaScript rows: NDJSON (properties as JSON objects), CSV without a header row (null
   * as an unquoted empty field, the empty string as ""), or Parquet.
   */
  writeExport(q: CompiledSql, path: string, format: ExportFileFormat): Promise<void>;
  /**
   * Embedded engines: copy a consistent snapshot of the whole store into a new database file at `path`, online
   * (ingestion keeps running). Absent on cluster engines, which have their own backup tools (docs/portability.md).
   */
  snapshot?(path: string): Promise<void>;
  /** Accepted events per project: lifetime and on the given UTC date. */
  countEvents(projectIds: string[], date: string): Promise<Map<string, { total: number; today: number }>>;
  /** Rewrite user_id = previousId to userId for one project (identify backfill). */
  reassignUser(projectId: string, previousId: string, userId: string): Promise<void>;
  /** Delete events of these projects older than the given UTC date (retention purge). */
  purgeBefore(projectIds: string[], date: string): Promise<void>;
  close(): Promise<void>;
}

export type Tier = 'free' | 'pro';

export interface TierLimits {
  max_projects: number;
  max_events_lifetime: number;
  max_events_per_month: number;
  max_reads_per_month: number;
  retention_days: number;
  rate_limit_rpm: number;
}

export interface Account {
  id: string;
  email: string;
  github_login: string | null;
  tier: Tier;
  /** Per-account overrides of the tier preset (null = use the preset). */
  limits_override: Partial<TierLimits> | null;
  monthly_spend_cap_dollars: number | null;
  created_at: string;
  /** Never stored: set per request when a named key is restricted to these project ids (accounts/projects.ts enforces it). */
  restricted_to?: readonly string[];
}

export interface Project {
  id: string;
  account_id: string;
  name: string;
  project_token: string;
  allowed_origins: string;
  created_at: string;
  deleted_at: string | null;
  source_scan_id: string | null;
}

export interface Experiment {
  id: string;
  project_id: string;
  account_id: string;
  name: string;
  variants: { key: string; weight: number }[];
  goal_event: string;
  status: 'active' | 'paused' | 'completed';
  winner: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** Summed usage_daily counts of an account (GET /account?include=usage). */
export interface AccountUsage {
  events: number; reads: number; events_month: number; reads_month: number; events_today: number; reads_today: number;
}

export interface UsageDelta {
  project_id: string;
  date: string;
  events?: number;
  reads?: number;
}

/** One UTC day of bot-filtered ingestion requests of a project, per category and actor (/bot-traffic). */
export interface BotTrafficDay {
  date: string;
  project_id: string;
  category: string;
  actor: string;
  requests: number;
  dropped_events: number;
  /** Epoch ms of the latest request counted in this row. */
  last_seen_at: number;
}

/** What an agent should know about a project (/project-context): every list may be empty. */
export interface ProjectContext {
  goals: string[];
  activation_events: string[];
  glossary: { event_name: string; term: string; definition: string }[];
}

/** A named group of an account's projects (/portfolios); a project belongs to at most one portfolio. */
export interface Portfolio {
  id: string;
  account_id: string;
  /** Unique within the account: ^[a-z0-9][a-z0-9_-]{0,63}$. */
  slug: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** A project's membership; members of deleted projects are never returned. */
export interface PortfolioMember {
  portfolio_id: string;
  project_id: string;
  added_at: string;
}

/** Outcome of a portfolio write: done, or refused with nothing written. */
export type PortfolioWrite =
  | { ok: true }
  | { ok: false; reason: 'slug_taken' }
  /** Projects that belong to another portfolio (only when the write did not allow moving them). */
  | { ok: false; reason: 'in_other_portfolio'; conflicts: { project_id: string; portfolio_id: string }[] };

/** The account's shared context for its portfolio of sites (/portfolio-context); surface roles by project id. */
export interface PortfolioContext {
  goals: string[];
  surface_roles: { project_id: string; role: string }[];
  shared_milestones: string[];
  glossary: { term: string; definition: string }[];
}

/** One message sent with POST /account/feedback. */
export interface Feedback {
  id: string;
  account_id: string;
  project_id: string | null;
  message: string;
  command: string | null;
  /** Free-form context as sent (a string or a JSON object), null when none. */
  context: string | Record<string, unknown> | null;
  created_at: string;
}

/** A dashboard sign-in (issue 14): stored by the SHA-256 of its opaque id, tied to the API key it was opened with. */
export interface DashboardSession {
  id_hash: string;
  account_id: string;
  /** Hash of the API key pasted at sign-in: revoking that key ends the session too. */
  key_hash: string;
  created_at: string;
  /** ISO 8601 UTC; the session is dead from this instant on. */
  expires_at: string;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** An import job (POST /import): its file's format, options, progress and final report, kept across restarts. */
export interface ImportJob {
  id: string;
  account_id: string;
  project_id: string;
  format: string;
  filename: string | null;
  /** What the job was started with (skip_invalid, the source project of a multi-project file). */
  options: { skip_invalid: boolean; source_project: string | null };
  status: ImportStatus;
  rows_read: number;
  rows_imported: number;
  rows_skipped: number;
  /** Skipped rows per reason. */
  skipped: Record<string, number>;
  /** Up to 10 skipped or failing rows with their line/row number and reason. */
  examples: string[];
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A named API key (issue 16): scopes and an optional project restriction and expiry. Owner keys have no row here. */
export interface NamedKey {
  id: string;
  account_id: string;
  key_hash: string;
  name: string;
  /** Scope names as stored (validated by accounts/scopes.ts). */
  scopes: string[];
  /** Project ids the key is restricted to; null = all of the account's projects. */
  project_ids: string[] | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The credential behind an API key hash: the owner key (`named` null) or a live named key. */
export interface KeyCredential {
  account: Account;
  named: NamedKey | null;
}

export type AgentRequestStatus = 'pending' | 'approved' | 'denied' | 'exchanged' | 'revoked' | 'expired';

/** A person-approved request for an agent session (POST /agent-sessions/start); secrets only as hashes. */
export interface AgentAuthRequest {
  id: string;
  status: AgentRequestStatus;
  mode: 'interactive' | 'detached';
  client_type: string;
  client_name: string | null;
  client_instance_id: string | null;
  callback_url: string | null;
  scopes: string[];
  /** Hex SHA-256 of the client's verifier (interactive; optional for detached). */
  code_challenge: string | null;
  poll_hash: string | null;
  /** Hash of the exchange code a poll returns once approved (derived from the poll token at start). */
  exchange_hash: string | null;
  /** Set at approval: hash of the exchange code given to the browser (callback redirect, or shown to paste). */
  finish_hash: string | null;
  account_id: string | null;
  session_id: string | null;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
}

export interface AgentSession {
  id: string;
  account_id: string;
  auth_request_id: string;
  client_type: string;
  client_name: string | null;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  /** When the current refresh token expires (the session cannot be extended past it without a refresh). */
  refresh_expires_at: string;
  revoked_at: string | null;
}

/** One access (aas_) or refresh (aar_) token, by hash; rotation retires it instead of deleting it (reuse detection). */
export interface AgentToken {
  hash: string;
  session_id: string;
  kind: 'access' | 'refresh';
  expires_at: string;
  retired_at: string | null;
}

export interface MetaStore {
  readonly engine: 'sqlite' | 'postgres';
  migrate(): Promise<void>;

  createAccount(a: Account, apiKeyHash: string): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  listAccounts(): Promise<Account[]>;
  updateAccount(id: string, patch: Partial<Pick<Account, 'tier' | 'limits_override' | 'monthly_spend_cap_dollars'>>): Promise<Account | null>;
  /** Account owning an active key with this SHA-256 hash. */
  accountByKeyHash(hash: string): Promise<Account | null>;
  /** Atomically revoke oldHash and activate newHash for the account. */
  rotateKey(accountId: string, oldHash: string, newHash: string): Promise<void>;
  /** Add a key if no key with that hash exists (bootstrap idempotence). */
  ensureKey(accountId: string, hash: string): Promise<void>;

  createProject(p: Project): Promise<void>;
  /** Non-deleted projects of an account, created_at ascending. */
  listProjects(accountId: string): Promise<Project[]>;
  /** By id, deleted included (callers decide 404 vs 403). */
  getProject(id: string): Promise<Project | null>;
  projectByName(accountId: string, name: string): Promise<Project | null>;
  projectByToken(token: string): Promise<Project | null>;
  updateProject(id: string, patch: Partial<Pick<Project, 'name' | 'allowed_origins' | 'deleted_at'>>): Promise<void>;

  addUsage(deltas: UsageDelta[]): Promise<void>;
  /** Summed usage per project: lifetime and on `date`. */
  usage(projectIds: string[], date: string): Promise<Map<string, { events: number; reads: number; events_today: number; reads_today: number }>>;
  /** Events accepted by all projects of an account since `fromDate` (inclusive), deleted projects included. */
  accountEvents(accountId: string, fromDate?: string): Promise<number>;
  /** Events and reads of all projects of an account (deleted included): lifetime, since `monthStart`, and on `today`. */
  accountUsage(accountId: string, monthStart: string, today: string): Promise<AccountUsage>;

  createExperiment(e: Experiment): Promise<void>;
  getExperiment(id: string): Promise<Experiment | null>;
  listExperiments(projectId: string): Promise<Experiment[]>;
  experimentByName(projectId: string, name: string): Promise<Experiment | null>;
  updateExperiment(id: string, patch: Partial<Pick<Experiment, 'status' | 'winner' | 'updated_at' | 'completed_at'>>): Promise<void>;
  deleteExperiment(id: string): Promise<void>;

  /** Identity map for /identify: previous id -> canonical user id, per project. */
  setIdentity(projectId: string, previousId: string, userId: string): Promise<void>;
  resolveIdentities(projectId: string, ids: string[]): Promise<Map<string, string>>;

  /** Add bot traffic counts: an additive upsert (replicas sharing the store add up; last_seen_at keeps the latest). */
  addBotTraffic(rows: BotTrafficDay[]): Promise<void>;
  /** Bot traffic rows of these projects dated `fromDate` … `toDate` (inclusive). */
  botTraffic(projectIds: string[], fromDate: string, toDate: string): Promise<BotTrafficDay[]>;
  /** Delete bot traffic rows dated before `date`. */
  pruneBotTraffic(beforeDate: string): Promise<void>;

  /** The project's stored context, null when none was ever set. */
  getProjectContext(projectId: string): Promise<ProjectContext | null>;
  /** Replace the project's context whole (an upsert). */
  setProjectContext(projectId: string, context: ProjectContext, updatedAt: string): Promise<void>;

  /** The account's portfolios, slug ascending. */
  listPortfolios(accountId: string): Promise<Portfolio[]>;
  /** One of the account's portfolios by id, else by slug; null when the account has none such. */
  findPortfolio(accountId: string, idOrSlug: string): Promise<Portfolio | null>;
  /** Members of these portfolios whose project is not deleted, by portfolio then added_at then project id. */
  portfolioMembers(portfolioIds: string[]): Promise<PortfolioMember[]>;
  /**
   * Create a portfolio with these member projects, in one transaction. A taken slug, or (unless `move`)
   * a project that belongs to another portfolio, refuses the whole write; with `move` such projects leave
   * their portfolio for this one.
   */
  createPortfolio(p: Portfolio, projectIds: string[], opts: { move: boolean }): Promise<PortfolioWrite>;
  /** Rename / re-slug, and when `projectIds` is given replace the members whole; refusals as createPortfolio. */
  updatePortfolio(id: string, patch: { slug?: string; name?: string; updated_at: string }, projectIds: string[] | null, opts: { move: boolean }): Promise<PortfolioWrite>;
  /** Delete a portfolio and its memberships (the projects stay). */
  deletePortfolio(id: string): Promise<void>;
  /** The account's stored portfolio context, null when none was ever set. */
  getPortfolioContext(accountId: string): Promise<PortfolioContext | null>;
  /** Replace the account's portfolio context whole (an upsert). */
  setPortfolioContext(accountId: string, context: PortfolioContext, updatedAt: string): Promise<void>;

  /** Store a new dashboard session (its id only as a hash). */
  createDashboardSession(s: DashboardSession): Promise<void>;
  /** The live session with this id hash: not expired at `now` (ISO) and its API key still active; else null. */
  dashboardSession(idHash: string, now: string): Promise<{ session: DashboardSession; account: Account } | null>;
  /** Point a session at another key of its account (the key it rotated to). */
  rebindDashboardSession(idHash: string, keyHash: string): Promise<void>;
  /** End one session (sign-out); unknown ids are a no-op. */
  deleteDashboardSession(idHash: string): Promise<void>;
  /** Delete sessions that expired before `now` (ISO). */
  pruneDashboardSessions(now: string): Promise<void>;

  /** The owner key or a live (not revoked, not expired at `now`) named key with this hash, with its account. */
  keyCredential(hash: string, now: string): Promise<KeyCredential | null>;
  createNamedKey(k: NamedKey): Promise<void>;
  /** The account's named keys that are not revoked, newest first. */
  listNamedKeys(accountId: string): Promise<NamedKey[]>;
  /** Revoke one of the account's named keys; its hash, or null when the account has no such live key. */
  revokeNamedKey(accountId: string, id: string, now: string): Promise<string | null>;
  /** Record use of a named key (callers throttle). */
  touchNamedKey(id: string, at: string): Promise<void>;

  createAgentRequest(r: AgentAuthRequest): Promise<void>;
  /** Delete tokens, sessions and requests that ended (expired or revoked) before `before` (ISO). */
  pruneAgentCredentials(before: string): Promise<void>;
  agentRequest(id: string): Promise<AgentAuthRequest | null>;
  /** Compare-and-set: apply `patch` only while the request is in status `from`; false when it was not. */
  updateAgentRequest(id: string, from: AgentRequestStatus, patch: Partial<AgentAuthRequest>): Promise<boolean>;
  /** Create a session with its first token pair, and mark its request exchanged, in one transaction; false if the request left `approved`. */
  createAgentSession(s: AgentSession, tokens: AgentToken[]): Promise<boolean>;
  agentSession(id: string): Promise<AgentSession | null>;
  /** A token by hash with its session and account (whatever their state: callers judge expiry and revocation). */
  agentToken(hash: string): Promise<{ token: AgentToken; session: AgentSession; account: Account } | null>;
  /** Retire the session's live tokens and add `fresh`, only while `refreshHash` is still live: the retired hashes, or null. */
  rotateAgentTokens(sessionId: string, refreshHash: string, fresh: AgentToken[], refreshExpiresAt: string, now: string): Promise<string[] | null>;
  /** Revoke a session (and its request); the hashes of its tokens that were live, for cache invalidation. */
  revokeAgentSession(id: string, now: string): Promise<string[]>;
  /** The account's sessions that are not revoked, newest first. */
  listAgentSessions(accountId: string): Promise<AgentSession[]>;
  touchAgentSession(id: string, at: string): Promise<void>;

  addFeedback(f: Feedback): Promise<void>;
  /** Newest first; `accountId` limits it to one account. */
  listFeedback(opts: { accountId?: string; limit: number }): Promise<Feedback[]>;

  createImportJob(j: ImportJob): Promise<void>;
  /** Progress and outcome of a job (only the given fields change). */
  updateImportJob(id: string, patch: Partial<Pick<ImportJob, 'status' | 'rows_read' | 'rows_imported' | 'rows_skipped' | 'skipped' | 'examples' | 'error' | 'updated_at' | 'finished_at'>>): Promise<void>;
  /** One of the account's jobs, null when the account has none by that id. */
  getImportJob(accountId: string, id: string): Promise<ImportJob | null>;
  /** Jobs in one of these states, oldest first (the runner's queue; interrupted jobs at start-up). */
  importJobsIn(statuses: ImportStatus[]): Promise<ImportJob[]>;

  /** Embedded engine only: an online, consistent copy of the whole store into a new file at `path` (backups). */
  readonly snapshot?: (path: string) => Promise<void>;

  close(): Promise<void>;
}

/** Fixed-window counters (rate limits, stream slots) shared by every replica that uses the same backend. */
export interface Counters {
  /** Count one hit against `key` in the current window of `windowSec`; returns the new count and seconds to reset. */
  hit(key: string, windowSec: number, amount?: number): Promise<{ count: number; resetSec: number }>;
  /** Take a slot of at most `max` under `key`; returns a release function, or null when full. */
  acquire(key: string, max: number, ttlSec: number): Promise<(() => Promise<void>) | null>;
  /** Publish a cache-invalidation message to every replica (key rotation, project changes). */
  invalidate(channel: string, message: string): Promise<void>;
  onInvalidate(handler: (channel: string, message: string) => void): void;
  close(): Promise<void>;
}

/** A committed event as the live stream sees it. */
export interface LiveEvent {
  id: string;
  project_id: string;
  event: string;
  properties: Record<string, unknown> | null;
  user_id: string | null;
  session_id: string | null;
  timestamp: number;
  country: string | null;
}

export interface LiveBus {
  /** Publish committed events (called by the writer after the durable commit). */
  publish(events: LiveEvent[]): void;
  /** Receive every event of a project published from now on; returns its own unsubscribe. */
  subscribe(projectId: string, onEvent: (e: LiveEvent) => void): () => void;
  /** Events of a project still in the ring buffer (oldest first). */
  recent(projectId: string): LiveEvent[];
  /** Buffered events published after `lastEventId` (Last-Event-ID resume), oldest first; call it in the
   *  same tick as subscribe() so nothing is missed or repeated. Unknown non-ULID id → []. */
  since(projectId: string, lastEventId: string): LiveEvent[];
  close(): Promise<void>;
}

/** The four ports one app runs on, picked from configuration by src/stores.ts. */
export interface Stores {
  events: EventStore;
  meta: MetaStore;
  counters: Counters;
  bus: LiveBus;
}
