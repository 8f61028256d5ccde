// Every analytics read echoes the project's context when it is non-empty, so the context is kept in memory
// per project: PUT /project-context publishes 'project-context' through the Counters and every replica
// forgets that project at once. A long TTL only bounds the staleness should an invalidation be lost.
import type { Counters, MetaStore, ProjectContext } from '../store/ports.js';
import { isEmptyContext } from './rules.js';

export const PROJECT_CONTEXT_CHANNEL = 'project-context';
const TTL_MS = 60_000;
const MAX_PROJECTS = 10_000;

export class ProjectContextCache {
  private cache = new Map<string, { value: Promise<ProjectContext | null>; at: number }>();

  constructor(private readonly meta: Pick<MetaStore, 'getProjectContext'>, counters: Pick<Counters, 'onInvalidate'>, private readonly ttlMs = TTL_MS) {
    counters.onInvalidate((channel, projectId) => {
      if (channel === PROJECT_CONTEXT_CHANNEL) this.cache.delete(projectId);
      // A deleted project's id is never reused; forgetting everything on project changes keeps it simple.
      if (channel === 'projects') this.cache.clear();
    });
  }

  /** The project's context when it is non-empty, else null (what the analytics echo needs). */
  get(projectId: string): Promise<ProjectContext | null> {
    const now = Date.now();
    const hit = this.cache.get(projectId);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = this.meta.getProjectContext(projectId).then((c) => (isEmptyContext(c) ? null : c));
    if (this.cache.size >= MAX_PROJECTS) this.cache.clear();
    // Cached before it resolves: an invalidation arriving meanwhile deletes this very entry.
    const entry = { value, at: now };
    this.cache.set(projectId, entry);
    value.catch(() => {
      if (this.cache.get(projectId) === entry) this.cache.delete(projectId);
    });
    return value;
  }
}

/** Tell every replica that a project's context changed. */
export const projectContextChanged = (counters: Counters, projectId: string): Promise<void> => counters.invalidate(PROJECT_CONTEXT_CHANNEL, projectId);

/** `body` plus `project_context` when the project has a non-empty context; otherwise `body` unchanged. */
export async function withProjectContext<T extends object>(contexts: ProjectContextCache, projectId: string, body: T): Promise<T> {
  const context = await contexts.get(projectId);
  return context ? { ...body, project_context: context } : body;
}
