// Projects: the rules of E18–E22 (idempotent create, limits, origin collisions, name lock, soft delete).
import type { Config } from '../config.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Account, MetaStore, Project } from '../store/ports.js';
import { accountLimits } from './accounts.js';
import { newId, newProjectToken } from './credentials.js';

export const PROJECT_NAME = /^[a-zA-Z0-9._-]{1,64}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

export interface ProjectView {
  id: string;
  name: string;
  project_token: string;
  allowed_origins: string;
  created_at: string;
  total_events: number;
  total_reads: number;
  source_scan_id: string | null;
}

export const utcDate = (ms: number = Date.now()): string => new Date(ms).toISOString().slice(0, 10);

/** Normalised origin list (trimmed, lower-case, no trailing slash); ['*'] for the wildcard. */
export function parseOrigins(value: string): string[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase().replace(/\/+$/, '')).filter(Boolean);
  return list.includes('*') ? ['*'] : list;
}

/** Validate allowed_origins from a request body; returns the stored form. */
export function validateOrigins(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest('INVALID_BODY', 'allowed_origins must be "*" or a comma-separated list of origins like "https://example.com,http://localhost:3000"');
  }
  const list = parseOrigins(value);
  const bad = list.find((o) => o !== '*' && !ORIGIN.test(o));
  if (bad !== undefined) throw badRequest('INVALID_BODY', `allowed_origins entry "${bad}" is not an origin; use scheme://host[:port], e.g. https://example.com`);
  return list.join(',');
}

export function validateName(value: unknown): string {
  if (value === undefined || value === null || value === '') throw badRequest('MISSING_FIELDS', 'name is required');
  if (typeof value !== 'string' || !PROJECT_NAME.test(value)) {
    throw badRequest('INVALID_BODY', 'name must be 1-64 characters of letters, digits, ".", "_" or "-"');
  }
  return value;
}

export function originAllowed(allowed: string, origin: string): boolean {
  const list = parseOrigins(allowed);
  if (list[0] === '*') return true;
  return list.includes(origin.trim().toLowerCase().replace(/\/+$/, ''));
}

const sameOrigins = (a: string, b: string): boolean => {
  const x = parseOrigins(a).sort().join(',');
  return x !== '*' && x === parseOrigins(b).sort().join(',');
};

export async function projectViews(meta: MetaStore, projects: Project[]): Promise<ProjectView[]> {
  const usage = await meta.usage(projects.map((p) => p.id), utcDate());
  return projects.map((p) => {
    const u = usage.get(p.id);
    return {
      id: p.id, name: p.name, project_token: p.project_token, allowed_origins: p.allowed_origins,
      created_at: p.created_at, total_events: u?.events ?? 0, total_reads: u?.reads ?? 0, source_scan_id: p.source_scan_id,
    };
  });
}

export async function projectDetail(meta: MetaStore, project: Project) {
  const today = utcDate();
  const usage = (await meta.usage([project.id], today)).get(project.id);
  const [view] = await projectViews(meta, [project]);
  return { ...view, usage_today: { date: today, events: usage?.events_today ?? 0, reads: usage?.reads_today ?? 0 } };
}

/** 403 when the caller's key is restricted to other projects (named keys with `projects`, issue 16). */
export function checkRestriction(account: Account, project: Project): Project {
  if (account.restricted_to && !account.restricted_to.includes(project.id)) {
    throw forbidden(`this API key is restricted to other projects and may not use project "${project.name}"`, 'PROJECT_NOT_ALLOWED');
  }
  return project;
}

/** The projects the caller may see: all of the account's, or those its key is restricted to. */
export async function visibleProjects(meta: MetaStore, account: Account): Promise<Project[]> {
  const all = await meta.listProjects(account.id);
  return account.restricted_to ? all.filter((p) => account.restricted_to!.includes(p.id)) : all;
}

/** Account-wide reads and writes (all sites, portfolios, ...) are refused to keys restricted to some projects. */
export function requireWholeAccount(account: Account): Account {
  if (account.restricted_to) throw forbidden('this API key is restricted to some projects; account-wide endpoints need a key without a project restriction', 'PROJECT_NOT_ALLOWED');
  return account;
}

/** A project of the caller by id (403 for another account's, 404 for unknown or deleted). Names are accepted too. */
export async function ownedProjectById(meta: MetaStore, account: Account, idOrName: string): Promise<Project> {
  const byId = await meta.getProject(idOrName);
  if (byId) {
    if (byId.account_id !== account.id) throw forbidden('this project belongs to another account');
    if (byId.deleted_at) throw notFound(`project ${idOrName} not found`);
    return checkRestriction(account, byId);
  }
  const byName = await meta.projectByName(account.id, idOrName);
  if (!byName) throw notFound(`project ${idOrName} not found`);
  return checkRestriction(account, byName);
}

/** A project of the caller by name, as read endpoints take it (`project` parameter); ids are accepted too. */
export async function ownedProjectByName(meta: MetaStore, account: Account, name: unknown): Promise<Project> {
  if (typeof name !== 'string' || name === '') throw badRequest('PROJECT_REQUIRED', 'project query parameter required (the project name, e.g. ?project=my-site)');
  const byName = await meta.projectByName(account.id, name);
  if (byName) return checkRestriction(account, byName);
  const byId = name.startsWith('proj_') ? await meta.getProject(name) : null;
  if (byId && byId.account_id === account.id && !byId.deleted_at) return checkRestriction(account, byId);
  throw notFound(`project "${name}" not found; list your projects with GET /projects`);
}

function snippetFields(publicUrl: string, p: Project) {
  return {
    snippet: `<script defer src="${publicUrl}/tracker.js" data-project="${p.name}" data-token="${p.project_token}"></script>`,
    api_example: `curl "${publicUrl}/stats?project=${p.name}&since=7d" -H "X-API-Key: YOUR_API_KEY"`,
  };
}

/** E19: idempotent by name, then the tier limit, then origin collisions, then create. */
export async function createProject(
  config: Config, meta: MetaStore, account: Account, body: Record<string, unknown>, publicUrl: string,
): Promise<{ status: 200 | 201; body: Record<string, unknown> }> {
  const name = validateName(body.name);
  const origins = body.allowed_origins === undefined ? '*' : validateOrigins(body.allowed_origins);
  const existing = await meta.projectByName(account.id, name);
  const shape = (p: Project) => ({
    id: p.id, name: p.name, project_token: p.project_token, allowed_origins: p.allowed_origins,
    source_scan_id: p.source_scan_id, created_at: p.created_at, ...snippetFields(publicUrl, p),
  });
  if (existing) return { status: 200, body: { ...shape(existing), existing: true } };
  const projects = await meta.listProjects(account.id);
  const limit = accountLimits(config, account).max_projects;
  if (limit !== -1 && projects.length >= limit) {
    throw forbidden(`project limit reached for the ${account.tier} tier (${limit} projects); delete a project or upgrade the account`);
  }
  const clash = projects.find((p) => sameOrigins(p.allowed_origins, origins));
  if (clash) throw conflict('DUPLICATE_ORIGIN', `allowed_origins "${origins}" is already used by project "${clash.name}" (${clash.id}); use that project or choose other origins`);
  const project: Project = {
    id: newId('proj_'),
    account_id: account.id,
    name,
    project_token: newProjectToken(),
    allowed_origins: origins,
    created_at: new Date().toISOString(),
    deleted_at: null,
    source_scan_id: typeof body.source_scan_id === 'string' ? body.source_scan_id : null,
  };
  await meta.createProject(project);
  return { status: 201, body: shape(project) };
}

/** E21: rename / change origins. */
export async function updateProject(meta: MetaStore, account: Account, id: string, body: Record<string, unknown>) {
  // Check order §1.3: required fields before the lookup, semantic validation after it.
  if (body.name === undefined && body.allowed_origins === undefined) {
    throw badRequest('MISSING_FIELDS', 'no fields to update; send name and/or allowed_origins');
  }
  const project = await ownedProjectById(meta, account, id);
  const patch: { name?: string; allowed_origins?: string } = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || !PROJECT_NAME.test(body.name)) {
      throw badRequest('INVALID_BODY', 'name must be 1-64 characters of letters, digits, ".", "_" or "-"');
    }
    if (body.name !== project.name) patch.name = body.name;
  }
  if (body.allowed_origins !== undefined) patch.allowed_origins = validateOrigins(body.allowed_origins);
  if (patch.name !== undefined) {
    const usage = (await meta.usage([project.id], utcDate())).get(project.id);
    if ((usage?.events ?? 0) > 0) {
      throw conflict('NAME_LOCKED', `project "${project.name}" already has events; its name is baked into installed snippets and cannot change`);
    }
    const taken = await meta.projectByName(account.id, patch.name);
    if (taken && taken.id !== project.id) throw conflict('PROJECT_NAME_EXISTS', `another project is already named "${patch.name}" (${taken.id})`);
  }
  if (patch.allowed_origins !== undefined) {
    const clash = (await meta.listProjects(account.id)).find((p) => p.id !== project.id && sameOrigins(p.allowed_origins, patch.allowed_origins!));
    if (clash) throw conflict('DUPLICATE_ORIGIN', `allowed_origins "${patch.allowed_origins}" is already used by project "${clash.name}" (${clash.id})`);
  }
  await meta.updateProject(project.id, patch);
  const [view] = await projectViews(meta, [{ ...project, ...patch }]);
  return view;
}

/** E22: soft delete; the token dies with it. */
export async function deleteProject(meta: MetaStore, account: Account, id: string) {
  const project = await ownedProjectById(meta, account, id);
  await meta.updateProject(project.id, { deleted_at: new Date().toISOString() });
  return { ok: true, deleted: project.id };
}

