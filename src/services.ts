// The long-lived services of one app, built here and only here, in dependency order, and closed in
// reverse: route modules read them from the AppContext and never create or look them up themselves.
import { KeyCache } from './accounts/key-cache.js';
import { ReadUsage } from './accounts/read-usage.js';
import type { Config } from './config.js';
import { type DashboardBuild, loadDashboardAssets } from './dashboard/assets.js';
import { createIngestService, type IngestService } from './ingest/service.js';
import { startRetentionPurge } from './jobs/retention-purge.js';
import { sweepExportTemp } from './portability/export.js';
import { ImportJobs } from './portability/import/jobs.js';
import { ProjectContextCache } from './project-context/cache.js';
import type { Stores } from './stores.js';
import { loadTrackerAssets, type TrackerAssets } from './tracker/assets.js';

export interface Services {
  /** API-key → account lookups, invalidated across replicas. */
  keys: KeyCache;
  /** Per-project read counters, written in batches. */
  reads: ReadUsage;
  /** Ingestion: directory, quotas, identities, drop counters and the group-commit writer. */
  ingest: IngestService;
  /** Project contexts echoed on analytics reads. */
  contexts: ProjectContextCache;
  /** tracker.js, still building while the server starts (null when the build failed). */
  tracker: Promise<TrackerAssets | null>;
  /** The dashboard's HTML shell, script and stylesheet, still building while the server starts (null when the build failed). */
  dashboard: Promise<DashboardBuild | null>;
  /** Import jobs (POST /import): one at a time, their state in the meta store. */
  imports: ImportJobs;
}

export interface ServiceLog {
  error(obj: { err: unknown }, msg: string): void;
}

/** Build every service; returns them with the function that stops them (last built, first stopped). */
export async function createServices(config: Config, stores: Stores, log: ServiceLog): Promise<{ services: Services; close: () => Promise<void> }> {
  const stops: (() => Promise<void>)[] = [];
  const onClose = (fn: () => Promise<void>) => void stops.push(fn);
  const reads = new ReadUsage(stores.meta);
  onClose(() => reads.close());
  const ingest = await createIngestService(config, stores, onClose, (err, msg) => log.error({ err }, msg));
  const imports = new ImportJobs({
    events: stores.events, meta: stores.meta, counters: stores.counters, quotas: ingest.quotas, identities: ingest.identities, liveDepth: () => ingest.writer.depth, config,
    log: (err, msg) => log.error({ err }, msg),
  });
  await imports.start();
  sweepExportTemp(config.dataDir);
  // Stopped before the ingest service: a running import ends at its next batch, before the writer drains.
  onClose(() => imports.close());
  const services: Services = {
    keys: new KeyCache(stores.meta, stores.counters),
    reads,
    ingest,
    imports,
    contexts: new ProjectContextCache(stores.meta, stores.counters),
    tracker: loadTrackerAssets((err) => log.error({ err }, 'tracker build failed; /tracker.js will answer 404')),
    dashboard: loadDashboardAssets((err) => log.error({ err }, 'dashboard build failed; /app/ will answer 503')),
  };
  // §1.5: rows past an account's retention are never read (query/plan.ts) and also deleted in the background.
  onClose(startRetentionPurge({ config, meta: stores.meta, events: stores.events }, (err) => log.error({ err }, 'retention purge failed')));
  return {
    services,
    close: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
