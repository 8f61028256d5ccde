// Resolves the `project` a read request names, scoped to the caller's account, and counts the read.
import type { FastifyRequest } from 'fastify';
import { ownedProjectByName, requireWholeAccount, visibleProjects } from '../accounts/projects.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Account, Project } from '../store/ports.js';

export function callerAccount(request: FastifyRequest): Account {
  if (!request.account) throw new Error('route is missing config.access = "apiKey"');
  return request.account;
}

/** The caller's project named by `name` (400 PROJECT_REQUIRED when absent, 404 when not theirs). */
export async function readProject(ctx: AppContext, request: FastifyRequest, name: unknown): Promise<Project> {
  const project = await ownedProjectByName(ctx.stores.meta, callerAccount(request), name);
  ctx.reads.record(project.id);
  return project;
}

/** The caller's default project (earliest created) when `name` is absent, as /live and /stream allow. */
export async function readProjectOrDefault(ctx: AppContext, request: FastifyRequest, name: unknown): Promise<Project> {
  if (name !== undefined && name !== '') return readProject(ctx, request, name);
  const [first] = await visibleProjects(ctx.stores.meta, callerAccount(request));
  if (!first) throw notFound('this account has no projects yet; create one with POST /projects');
  ctx.reads.record(first.id);
  return first;
}

/** The caller's account for an account-wide route: refused (403) to keys restricted to some projects. */
export function wholeAccount(request: FastifyRequest): Account {
  return requireWholeAccount(callerAccount(request));
}
