// Named API keys (issue 16): besides the owner key, keys with a name, scopes, an optional project restriction
// and an optional expiry. Same format as the owner key (aak_ + 48 hex), shown once, stored only as a hash.
import { badRequest, notFound } from '../errors.js';
import type { Account, MetaStore, NamedKey, Project } from '../store/ports.js';
import { hashKey, newApiKey, newId } from './credentials.js';
import { ownedProjectByName } from './projects.js';
import { parseScopes } from './scopes.js';

export interface NamedKeyView {
  id: string;
  name: string;
  scopes: string[];
  projects: { id: string; name: string }[] | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

const DAY_MS = 86_400_000;

function view(k: NamedKey, projects: Map<string, Project>): NamedKeyView {
  return {
    id: k.id, name: k.name, scopes: k.scopes,
    projects: k.project_ids === null ? null : k.project_ids.map((id) => ({ id, name: projects.get(id)?.name ?? '(deleted)' })),
    created_at: k.created_at, expires_at: k.expires_at, last_used_at: k.last_used_at,
  };
}

export async function createNamedKey(
  meta: MetaStore, account: Account, body: { name: string; scopes: unknown; projects?: string[]; expires_in_days?: number }, now = new Date(),
): Promise<{ key: NamedKeyView; api_key: string }> {
  const name = body.name.trim();
  if (!name) throw badRequest('INVALID_BODY', 'name must not be blank: say what the key is for, e.g. "weekly report agent"');
  const scopes = parseScopes(body.scopes);
  if (!scopes.ok) throw badRequest('INVALID_BODY', `unknown scope "${scopes.bad}"; use any of account:read, projects:read, projects:write, analytics:read, experiments:write, feedback:write, live:read`);
  const projects = body.projects ? await Promise.all(body.projects.map((p) => ownedProjectByName(meta, account, p))) : null;
  const apiKey = newApiKey();
  const key: NamedKey = {
    id: newId('key_'), account_id: account.id, key_hash: hashKey(apiKey), name, scopes: scopes.scopes,
    project_ids: projects ? [...new Set(projects.map((p) => p.id))] : null,
    created_at: now.toISOString(),
    expires_at: body.expires_in_days === undefined ? null : new Date(now.getTime() + body.expires_in_days * DAY_MS).toISOString(),
    last_used_at: null, revoked_at: null,
  };
  await meta.createNamedKey(key);
  return { key: view(key, new Map((projects ?? []).map((p) => [p.id, p]))), api_key: apiKey };
}

export async function listNamedKeys(meta: MetaStore, account: Account): Promise<NamedKeyView[]> {
  const [keys, projects] = await Promise.all([meta.listNamedKeys(account.id), meta.listProjects(account.id)]);
  const byId = new Map(projects.map((p) => [p.id, p]));
  return keys.map((k) => view(k, byId));
}

/** Revoke one named key; the hash to invalidate on every replica. */
export async function revokeNamedKey(meta: MetaStore, account: Account, id: string, now = new Date()): Promise<string> {
  const hash = await meta.revokeNamedKey(account.id, id, now.toISOString());
  if (!hash) throw notFound(`no key ${id} on this account; list keys with GET /account/keys`, 'KEY_NOT_FOUND');
  return hash;
}
