// What GET /experiments/config serves: every page load of every tracked site asks for it, so the active
// experiments of a project are kept in memory briefly; any change publishes 'experiments' and every
// replica forgets that project at once.
import type { Counters, MetaStore } from '../store/ports.js';

export interface TrackerExperiment {
  key: string;
  variants: { key: string; weight: number }[];
}

export const EXPERIMENTS_CHANNEL = 'experiments';
const TTL_MS = 5_000;
const MAX_PROJECTS = 10_000;

export class ExperimentConfigCache {
  private cache = new Map<string, { value: Promise<TrackerExperiment[]>; at: number }>();

  constructor(private readonly meta: MetaStore, counters: Counters) {
    counters.onInvalidate((channel, projectId) => {
      if (channel === EXPERIMENTS_CHANNEL) this.cache.delete(projectId);
    });
  }

  /** Active experiments of a project, variants in stored order (first = control). */
  active(projectId: string): Promise<TrackerExperiment[]> {
    const now = Date.now();
    const hit = this.cache.get(projectId);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const value = this.meta.listExperiments(projectId).then((list) =>
      list.filter((e) => e.status === 'active').map((e) => ({ key: e.name, variants: e.variants.map((v) => ({ key: v.key, weight: v.weight })) })));
    if (this.cache.size >= MAX_PROJECTS) this.cache.clear();
    this.cache.set(projectId, { value, at: now });
    value.catch(() => this.cache.delete(projectId));
    return value;
  }
}

/** Tell every replica that a project's experiments changed. */
export const experimentsChanged = (counters: Counters, projectId: string): Promise<void> => counters.invalidate(EXPERIMENTS_CHANNEL, projectId);
