// The identity step: an event arriving with an old anonymous id is stored under its canonical user id
// (the /identify map). Lookups are cached per project; POST /identify publishes
// counters.invalidate('identities', projectId) and every replica forgets that project's entries.
import type { Counters, MetaStore } from '../store/ports.js';

const MAX_IDS_PER_PROJECT = 50_000;

export class IdentityResolver {
  /** projectId → (id → canonical id, or null when the id is not mapped). */
  private cache = new Map<string, Map<string, string | null>>();

  constructor(private readonly meta: MetaStore, counters: Counters) {
    counters.onInvalidate((channel, message) => {
      if (channel === 'identities') this.cache.delete(message);
    });
  }

  /** Canonical ids for the given ids of one project (unmapped ids map to themselves). */
  async resolve(projectId: string, ids: (string | null)[]): Promise<Map<string, string>> {
    let known = this.cache.get(projectId);
    if (!known) this.cache.set(projectId, (known = new Map()));
    // The hot path: every id already known (the usual case), so nothing to collect or look up.
    let unknown = false;
    for (const id of ids) {
      if (id !== null && !known.has(id)) {
        unknown = true;
        break;
      }
    }
    if (!unknown) {
      const out = new Map<string, string>();
      for (const id of ids) if (id !== null) out.set(id, known.get(id) ?? id);
      return out;
    }
    const missing = [...new Set(ids.filter((id): id is string => id !== null && !known!.has(id)))];
    const found = missing.length ? await this.meta.resolveIdentities(projectId, missing) : null;
    const out = new Map<string, string>();
    for (const id of ids) if (id !== null) out.set(id, found?.get(id) ?? known.get(id) ?? id);
    if (found) {
      // Bounded memory: a project with very many visitors starts its map afresh.
      if (known.size + missing.length > MAX_IDS_PER_PROJECT) known.clear();
      for (const id of missing) known.set(id, found.get(id) ?? null);
    }
    return out;
  }
}
