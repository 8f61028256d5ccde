// The long-lived ingestion parts of one app (directory, quotas, identities, drop counters, writer), built
// once by src/services.ts and handed to the routes that need them on the app context.
import type { Config } from '../config.js';
import type { EventRow, LiveEvent, Stores } from '../store/ports.js';
import { IngestDirectory } from './directory.js';
import { DropCounters } from './drop-counters.js';
import { IdentityResolver } from './identities.js';
import { EventQuotas } from './quota.js';
import { reconcileUsage, UsageRecorder } from './usage.js';
import { type EventWriter, GroupCommitWriter } from './writer.js';
import { openFoldedJournal } from './folder.js';
import { JournalWriter } from './journal-writer.js';

export interface IngestService {
  directory: IngestDirectory;
  quotas: EventQuotas;
  identities: IdentityResolver;
  drops: DropCounters;
  /** Rows go to disk; their LiveEvents ride along and are published once acknowledged. */
  writer: EventWriter<LiveEvent>;
}

export function toLiveEvent(row: EventRow, properties: Record<string, unknown> | null): LiveEvent {
  return {
    id: row.id, project_id: row.project_id, event: row.event, properties, user_id: row.user_id,
    session_id: row.session_id, timestamp: row.ts, country: row.country,
  };
}

/** Build the service (replaying the journal and reconciling usage first on the embedded store); `onClose` receives its drain. */
export async function createIngestService(
  config: Config, stores: Stores, onClose: (fn: () => Promise<void>) => void, log: (err: unknown, msg: string) => void,
): Promise<IngestService> {
  const { events, meta, counters, bus } = stores;
  const usage = new UsageRecorder(meta, log);
  let writer: EventWriter<LiveEvent>;
  let stopFolder = async () => {};
  if (events.journal) {
    const folder = await openFoldedJournal(events.journal, config.ingest.journal, log);
    writer = new JournalWriter<LiveEvent>(folder.journal, folder.folder, { ...config.ingest, maxBytes: config.ingest.journal.maxBytes }, {
      // Usage counts acknowledged events; a crash before its write is made good by reconcileUsage below.
      journalled: (rows) => usage.record(rows),
      acknowledged: (live) => bus.publish(live),
      log,
    });
    stopFolder = async () => {
      await folder.folder.close();
      await folder.journal.close();
    };
  } else {
    // Cluster mode: the ack waits for ClickHouse itself (docs/cluster.md#acknowledgement-without-a-journal).
    writer = new GroupCommitWriter<LiveEvent>(events, config.ingest, {
      // The usage write starts before the 202s go out, but they do not wait for it.
      committed: async (rows) => usage.record(rows),
      acknowledged: (live) => bus.publish(live),
      log,
    });
  }
  // After the replay, before the first write, so the reconcile never races fresh bookkeeping. Only the
  // embedded store has a single writer process: with several replicas sharing ClickHouse, another
  // replica's counts may still be in flight and adding the gap would count them twice.
  if (events.engine === 'duckdb') await reconcileUsage(events, meta).catch((err) => log(err, 'usage reconcile failed'));
  const service: IngestService = {
    directory: new IngestDirectory(meta, config, counters),
    quotas: new EventQuotas(meta),
    identities: new IdentityResolver(meta, counters),
    drops: new DropCounters({ store: meta, flushMs: config.botFlushMs, log }),
    writer,
  };
  onClose(async () => {
    await writer.close();
    await stopFolder();
    await usage.flush();
    await service.drops.close();
  });
  return service;
}

