// The analytics conformance suite: one fixed dataset (dataset.ts), every question, answers worked out by
// hand. Any EventStore runs it with a five-line file:
//
//   import { runConformance } from './suite.js';
//   runConformance('clickhouse', async () => openMyMigratedStore());
//
// Reports are called directly (no HTTP) with a fixed "now", so the answers never drift with the clock.
import { after, before, describe } from 'node:test';
import type { EventStore } from '../../src/store/ports.js';
import { readContext, type ReadContext } from '../../src/query/run.js';
import { eventRows } from '../helpers/events.js';
import { DIRECT, FUNNEL, MAIN, NOW, OTHER, PROJECTS, RETENTION } from './dataset.js';
import { eventCases } from './cases-events.js';
import { sessionCases } from './cases-sessions.js';
import { queryCases } from './cases-query.js';
import { funnelCases } from './cases-funnel.js';
import { retentionCases } from './cases-retention.js';
import { mutationCases } from './cases-mutations.js';
import { directCases } from './cases-direct.js';
import { pagingCases } from './cases-paging.js';

export interface Conformance {
  /** A read context on the loaded store: fixed now, the given retention (-1 = keep everything). */
  ctx(retentionDays?: number): ReadContext;
  store(): EventStore;
}

export interface ConformanceOptions {
  /**
   * The store stores a batch inserted again whole (a retry whose answer was lost) once (ClickHouse: insert
   * deduplication tokens). The suite then inserts every batch twice, so each hand-checked answer also proves
   * that events and rollups hold every event exactly once.
   */
  retriedBatches?: boolean;
}

export function runConformance(name: string, openStore: () => Promise<EventStore>, opts: ConformanceOptions = {}): void {
  describe(`analytics conformance: ${name}`, () => {
    let store: EventStore;
    before(async () => {
      const opened = await openStore();
      store = opts.retriedBatches ? retrying(opened) : opened;
      // Several inserts, as ingestion batches arrive: rollups must merge across batches.
      const main = eventRows(PROJECTS.main, MAIN);
      await store.insert(main.slice(0, 6));
      await store.insert(main.slice(6, 14));
      await store.insert(eventRows(PROJECTS.other, OTHER));
      await store.insert(main.slice(14));
      await store.insert(eventRows(PROJECTS.funnel, FUNNEL));
      await store.insert(eventRows(PROJECTS.direct, DIRECT));
      const retention = eventRows(PROJECTS.retention, RETENTION);
      for (let i = 0; i < retention.length; i += 5) await store.insert(retention.slice(i, i + 5));
    });
    after(async () => {
      await store?.close();
    });
    const c: Conformance = {
      ctx: (retentionDays = -1) => ({ ...readContext(store, retentionDays, NOW) }),
      store: () => store,
    };
    eventCases(c);
    sessionCases(c);
    pagingCases(c);
    queryCases(c);
    funnelCases(c);
    retentionCases(c);
    directCases(c);
    mutationCases(async () => (opts.retriedBatches ? retrying(await openStore()) : openStore()), opts);
  });
}

/** The store with every insert sent twice, as a writer retrying a batch whose acknowledgement was lost. */
function retrying(store: EventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, {
    async insert(rows: Parameters<EventStore['insert']>[0]) {
      await store.insert(rows);
      await store.insert(rows);
    },
  });
}
