// The one declaration of what a credential may do (least privilege, issue 16). Every API-key route names the
// scope it needs beside its access rule (http/auth.ts enforces both in one hook); named keys and agent sessions
// carry a subset; the owner key and dashboard sessions hold them all.

/**
 * Appendix A's six scopes plus `projects:read`, which the official CLI (0.5.9 and later) requests and the hosted
 * product requires for listing projects.
 */
export const SCOPES = ['account:read', 'projects:read', 'projects:write', 'analytics:read', 'experiments:write', 'feedback:write', 'live:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** What each scope allows, for the approval page, the CLI and the docs. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'account:read': 'read the account, its tier, limits, keys and agent sessions',
  'projects:read': 'list projects and read their settings and context',
  'projects:write': 'create, rename, re-configure and delete projects, portfolios and project context',
  'analytics:read': 'read analytics: stats, events, queries, funnels, retention, paths, experiments results, bot traffic',
  'experiments:write': 'create, change and delete A/B experiments',
  'feedback:write': 'send feedback to the server operator',
  'live:read': 'watch live visitors and the real-time event stream',
};

/**
 * What a route requires beyond a valid credential: one scope; `owner` (only the owner key or a dashboard session:
 * key rotation and key management); or `any` (any valid credential; the handler narrows, e.g. POST /mcp, whose
 * tool calls each pass this check as the API request they make).
 */
export type Requirement = Scope | 'owner' | 'any';

export const isScope = (s: unknown): s is Scope => typeof s === 'string' && (SCOPES as readonly string[]).includes(s);

/** Who is calling: the kind of credential, what it may do and, for a restricted key, which projects it sees. */
export interface Grant {
  kind: 'owner' | 'key' | 'agent' | 'dashboard';
  /** Named key id or agent session id; null for the owner key and dashboard sessions. */
  id: string | null;
  scopes: readonly Scope[];
  /** Project ids a named key is restricted to; null = every project of the account. */
  projectIds: readonly string[] | null;
}

export const OWNER_GRANT: Grant = Object.freeze({ kind: 'owner', id: null, scopes: SCOPES, projectIds: null }) as Grant;

/** null when the grant satisfies the requirement, else the missing scope (or `owner`). */
export function missing(grant: Grant, need: Requirement): Scope | 'owner' | null {
  if (need === 'any') return null;
  if (need === 'owner') return grant.kind === 'owner' || grant.kind === 'dashboard' ? null : 'owner';
  return grant.scopes.includes(need) ? null : need;
}

/** Validate a requested scope list: known names, de-duplicated, in declaration order. */
export function parseScopes(value: unknown): { ok: true; scopes: Scope[] } | { ok: false; bad: string } {
  if (!Array.isArray(value)) return { ok: false, bad: String(value) };
  for (const s of value) if (!isScope(s)) return { ok: false, bad: String(s) };
  return { ok: true, scopes: SCOPES.filter((s) => value.includes(s)) };
}
