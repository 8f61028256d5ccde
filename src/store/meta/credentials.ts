// The scoped-credential statements of the Kysely meta store (SQLite and PostgreSQL alike): named API keys and
// agent sessions (approval requests, sessions, their tokens by hash). Lists are stored as JSON text.
import type { Kysely } from 'kysely';
import type { Account, AgentAuthRequest, AgentRequestStatus, AgentSession, AgentToken, KeyCredential, NamedKey } from '../ports.js';
import type { Db } from './kysely-meta-store.js';

type Row<T extends keyof Db> = Db[T];
const list = (s: string): string[] => JSON.parse(s) as string[];

const toKey = (r: Row<'named_keys'>): NamedKey => ({ ...r, scopes: list(r.scopes), project_ids: r.project_ids === null ? null : list(r.project_ids) });
const toRequest = (r: Row<'agent_requests'>): AgentAuthRequest => ({ ...r, status: r.status as AgentRequestStatus, mode: r.mode as AgentAuthRequest['mode'], scopes: list(r.scopes) });
const toSession = (r: Row<'agent_sessions'>): AgentSession => ({ ...r, scopes: list(r.scopes) });

function requestRow(r: Partial<AgentAuthRequest>): Partial<Row<'agent_requests'>> {
  const { scopes, ...rest } = r;
  return scopes === undefined ? rest : { ...rest, scopes: JSON.stringify(scopes) };
}

export async function keyCredential(db: Kysely<Db>, hash: string, now: string, account: (id: string) => Promise<Account | null>, ownerAccount: (hash: string) => Promise<Account | null>): Promise<KeyCredential | null> {
  const owner = await ownerAccount(hash);
  if (owner) return { account: owner, named: null };
  const r = await db.selectFrom('named_keys').selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
  if (!r || (r.expires_at !== null && r.expires_at <= now)) return null;
  const a = await account(r.account_id);
  return a ? { account: a, named: toKey(r) } : null;
}

export async function createKey(db: Kysely<Db>, k: NamedKey): Promise<void> {
  await db.insertInto('named_keys').values({ ...k, scopes: JSON.stringify(k.scopes), project_ids: k.project_ids === null ? null : JSON.stringify(k.project_ids) }).execute();
}

export async function listKeys(db: Kysely<Db>, accountId: string): Promise<NamedKey[]> {
  const rows = await db.selectFrom('named_keys').selectAll().where('account_id', '=', accountId).where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toKey);
}

export async function revokeKey(db: Kysely<Db>, accountId: string, id: string, now: string): Promise<string | null> {
  const r = await db.selectFrom('named_keys').select('key_hash').where('id', '=', id).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
  if (!r) return null;
  await db.updateTable('named_keys').set({ revoked_at: now }).where('id', '=', id).execute();
  return r.key_hash;
}

export async function touchKey(db: Kysely<Db>, id: string, at: string): Promise<void> {
  await db.updateTable('named_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function createRequest(db: Kysely<Db>, r: AgentAuthRequest): Promise<void> {
  await db.insertInto('agent_requests').values(requestRow(r) as Row<'agent_requests'>).execute();
}

export async function request(db: Kysely<Db>, id: string): Promise<AgentAuthRequest | null> {
  const r = await db.selectFrom('agent_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRequest(r) : null;
}

export async function updateRequest(db: Kysely<Db>, id: string, from: AgentRequestStatus, patch: Partial<AgentAuthRequest>): Promise<boolean> {
  const res = await db.updateTable('agent_requests').set(requestRow(patch)).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function createSession(db: Kysely<Db>, s: AgentSession, tokens: AgentToken[]): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const res = await tx.updateTable('agent_requests').set({ status: 'exchanged', session_id: s.id }).where('id', '=', s.auth_request_id).where('status', '=', 'approved').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await tx.insertInto('agent_sessions').values({ ...s, scopes: JSON.stringify(s.scopes) }).execute();
    await tx.insertInto('agent_tokens').values(tokens).execute();
    return true;
  });
}

export async function session(db: Kysely<Db>, id: string): Promise<AgentSession | null> {
  const r = await db.selectFrom('agent_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSession(r) : null;
}

export async function token(db: Kysely<Db>, hash: string, account: (id: string) => Promise<Account | null>): Promise<{ token: AgentToken; session: AgentSession; account: Account } | null> {
  const t = await db.selectFrom('agent_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
  if (!t) return null;
  const s = await session(db, t.session_id);
  const a = s ? await account(s.account_id) : null;
  return s && a ? { token: { ...t, kind: t.kind as AgentToken['kind'] }, session: s, account: a } : null;
}

export function rotateTokens(db: Kysely<Db>, sessionId: string, refreshHash: string, fresh: AgentToken[], refreshExpiresAt: string, now: string): Promise<string[] | null> {
  return db.transaction().execute(async (tx) => {
    const res = await tx.updateTable('agent_tokens').set({ retired_at: now })
      .where('hash', '=', refreshHash).where('session_id', '=', sessionId).where('retired_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return null;
    const live = await tx.selectFrom('agent_tokens').select('hash').where('session_id', '=', sessionId).where('retired_at', 'is', null).execute();
    await tx.updateTable('agent_tokens').set({ retired_at: now }).where('session_id', '=', sessionId).where('retired_at', 'is', null).execute();
    await tx.insertInto('agent_tokens').values(fresh).execute();
    await tx.updateTable('agent_sessions').set({ refresh_expires_at: refreshExpiresAt }).where('id', '=', sessionId).execute();
    return [refreshHash, ...live.map((t) => t.hash)];
  });
}

export function revokeSession(db: Kysely<Db>, id: string, now: string): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const live = await tx.selectFrom('agent_tokens').select('hash').where('session_id', '=', id).where('retired_at', 'is', null).execute();
    await tx.updateTable('agent_tokens').set({ retired_at: now }).where('session_id', '=', id).where('retired_at', 'is', null).execute();
    const s = await tx.selectFrom('agent_sessions').select('auth_request_id').where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (s) {
      await tx.updateTable('agent_sessions').set({ revoked_at: now }).where('id', '=', id).execute();
      await tx.updateTable('agent_requests').set({ status: 'revoked' }).where('id', '=', s.auth_request_id).execute();
    }
    return live.map((t) => t.hash);
  });
}

export async function listSessions(db: Kysely<Db>, accountId: string): Promise<AgentSession[]> {
  const rows = await db.selectFrom('agent_sessions').selectAll().where('account_id', '=', accountId).where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toSession);
}

export async function touchSession(db: Kysely<Db>, id: string, at: string): Promise<void> {
  await db.updateTable('agent_sessions').set({ last_used_at: at }).where('id', '=', id).execute();
}

/**
 * Delete agent credentials that can no longer be used: tokens expired before `before`, sessions revoked or
 * expired before it (with their tokens), and approval requests expired before it that no live session came
 * from. A deleted token or session is refused as an unknown one would be, so nothing a client sees changes.
 */
export async function pruneAgentCredentials(db: Kysely<Db>, before: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('agent_tokens').where('expires_at', '<=', before).execute();
    const ended = tx.selectFrom('agent_sessions').select('id').where((eb) => eb.or([eb('revoked_at', '<=', before), eb('refresh_expires_at', '<=', before)]));
    await tx.deleteFrom('agent_tokens').where('session_id', 'in', ended).execute();
    await tx.deleteFrom('agent_sessions').where((eb) => eb.or([eb('revoked_at', '<=', before), eb('refresh_expires_at', '<=', before)])).execute();
    await tx.deleteFrom('agent_requests').where('expires_at', '<=', before)
      .where((eb) => eb.or([eb('session_id', 'is', null), eb('session_id', 'not in', eb.selectFrom('agent_sessions').select('id'))])).execute();
  });
}
