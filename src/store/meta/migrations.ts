// Versioned meta-store schema, written with Kysely's schema builder so SQLite and PostgreSQL share it.
import { type Kysely, type Migration, sql } from 'kysely';

export const META_MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('accounts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('github_login', 'varchar(128)')
        .addColumn('tier', 'varchar(16)', (c) => c.notNull())
        .addColumn('limits_override', 'text')
        .addColumn('monthly_spend_cap_dollars', 'double precision')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createTable('api_keys')
        .addColumn('key_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('api_keys_account').on('api_keys').column('account_id').execute();
      await db.schema.createTable('projects')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('project_token', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('allowed_origins', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('deleted_at', 'varchar(32)')
        .addColumn('source_scan_id', 'varchar(128)')
        .execute();
      await db.schema.createIndex('projects_account_name').on('projects').columns(['account_id', 'name']).execute();
      await db.schema.createTable('usage_daily')
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('date', 'varchar(10)', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('reads', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_daily_pk', ['project_id', 'date'])
        .execute();
      await db.schema.createTable('experiments')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('variants', 'text', (c) => c.notNull())
        .addColumn('goal_event', 'varchar(256)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('winner', 'varchar(64)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('completed_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('experiments_project_name').on('experiments').columns(['project_id', 'name']).unique().execute();
      await db.schema.createTable('identities')
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('previous_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('identities_pk', ['project_id', 'previous_id'])
        .execute();
      void sql;
    },
  },
  // Daily aggregates of bot-filtered ingestion requests (/bot-traffic): counts only, no raw logs, no IPs.
  '0002_bot_traffic': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('bot_traffic_daily')
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('date', 'varchar(10)', (c) => c.notNull())
        .addColumn('category', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor', 'varchar(128)', (c) => c.notNull())
        .addColumn('requests', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('dropped_events', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('bot_traffic_daily_pk', ['project_id', 'date', 'category', 'actor'])
        .execute();
      await db.schema.createIndex('bot_traffic_daily_date').on('bot_traffic_daily').column('date').execute();
    },
  },
  // A compact per-project context for agents (/project-context: goals, activation events, glossary; JSON text)
  // and the feedback agents and people send (POST /account/feedback).
  '0003_project_context_feedback': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('project_contexts')
        .addColumn('project_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('context', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createTable('feedback')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(64)')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('command', 'text')
        .addColumn('context', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('feedback_created').on('feedback').columns(['created_at', 'id']).execute();
    },
  },
  // Portfolios (/portfolios): named groups of an account's projects. portfolio_members is keyed by the project,
  // so a project belongs to at most one portfolio by construction. The account-level /portfolio-context (JSON text).
  '0004_portfolios': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('portfolios')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('slug', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(512)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portfolios_account_slug').on('portfolios').columns(['account_id', 'slug']).unique().execute();
      await db.schema.createTable('portfolio_members')
        .addColumn('project_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('portfolio_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('added_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portfolio_members_portfolio').on('portfolio_members').column('portfolio_id').execute();
      await db.schema.createTable('portfolio_contexts')
        .addColumn('account_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('context', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  },
  // Dashboard sign-ins (issue 14): the opaque session id is stored only as its SHA-256, with the key it came from
  // (revoking the key ends the session) and an expiry.
  '0005_dashboard_sessions': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('dashboard_sessions')
        .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dashboard_sessions_expires').on('dashboard_sessions').column('expires_at').execute();
    },
  },
  // Least privilege (issue 16): named API keys with scopes, an optional project restriction and expiry; agent
  // sessions approved by a person (requests, sessions, and their tokens by hash; rotated tokens are retired, not
  // deleted, so a replayed refresh token is recognised and ends its session).
  '0006_scoped_credentials': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('named_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('project_ids', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)')
        .addColumn('last_used_at', 'varchar(32)')
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('named_keys_account').on('named_keys').column('account_id').execute();
      await db.schema.createTable('agent_requests')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('client_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('client_name', 'varchar(128)')
        .addColumn('client_instance_id', 'varchar(128)')
        .addColumn('callback_url', 'text')
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'varchar(128)')
        .addColumn('poll_hash', 'varchar(64)')
        .addColumn('exchange_hash', 'varchar(64)')
        .addColumn('finish_hash', 'varchar(64)')
        .addColumn('account_id', 'varchar(64)')
        .addColumn('session_id', 'varchar(64)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('decided_at', 'varchar(32)')
        .execute();
      await db.schema.createTable('agent_sessions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('auth_request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('client_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('client_name', 'varchar(128)')
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_used_at', 'varchar(32)')
        .addColumn('refresh_expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('agent_sessions_account').on('agent_sessions').column('account_id').execute();
      await db.schema.createTable('agent_tokens')
        .addColumn('hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('session_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('retired_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('agent_tokens_session').on('agent_tokens').column('session_id').execute();
    },
  },
  // Import jobs (docs/portability.md): status, progress and the final report survive a restart; a job found
  // running at start-up was interrupted and is marked failed with a message saying to re-run it.
  '0007_import_jobs': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('import_jobs')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('format', 'varchar(32)', (c) => c.notNull())
        .addColumn('filename', 'varchar(256)')
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('rows_read', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('rows_imported', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('rows_skipped', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped', 'text', (c) => c.notNull())
        .addColumn('examples', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('finished_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('import_jobs_account').on('import_jobs').columns(['account_id', 'created_at']).execute();
    },
  },
};
