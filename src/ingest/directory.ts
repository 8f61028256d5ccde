// Token → project + owning account for the ingestion hot path, cached and dropped on invalidation
// ('projects' on delete/PATCH, 'accounts' on tier changes) so a deleted project's token dies at once.
import { accountLimits } from '../accounts/accounts.js';
import { parseOrigins } from '../accounts/projects.js';
import type { Config } from '../config.js';
import type { Account, Counters, MetaStore, Project, TierLimits } from '../store/ports.js';

export interface TokenEntry {
  project: Project;
  account: Account;
  limits: TierLimits;
  /** Normalised allowed origins; ['*'] for any. */
  origins: string[];
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export class IngestDirectory {
  private cache = new Map<string, { entry: Promise<TokenEntry | null>; at: number }>();

  constructor(private readonly meta: MetaStore, private readonly config: Config, counters: Counters) {
    counters.onInvalidate((channel) => {
      // Project and account changes are rare: forgetting everything is simpler than being clever.
      if (channel === 'accounts' || channel === 'projects') this.cache.clear();
    });
  }

  /** The live (non-deleted) project holding this token, with its account; null when there is none. */
  byToken(token: string): Promise<TokenEntry | null> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && now - hit.at < TTL_MS) return hit.entry;
    const entry = this.load(token);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(token, { entry, at: now });
    entry.catch(() => this.cache.delete(token));
    return entry;
  }

  private async load(token: string): Promise<TokenEntry | null> {
    const project = await this.meta.projectByToken(token);
    if (!project || project.deleted_at) return null;
    const account = await this.meta.getAccount(project.account_id);
    if (!account) return null;
    return { project, account, limits: accountLimits(this.config, account), origins: parseOrigins(project.allowed_origins) };
  }
}
