// Ingest-side SQL on ClickHouse: the start-up usage reconcile must run on every EventStore
// (src/ingest/usage.ts asks dialectFor(store) for dateOf/asText).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reconcileUsage } from '../../src/ingest/usage.js';
import { openClickHouseEventStore } from '../../src/store/clickhouse/connect.js';
import type { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import type { EventRow, MetaStore } from '../../src/store/ports.js';

let store: ClickHouseEventStore;
let meta: MetaStore;
before(async () => {
  store = await openClickHouseEventStore('chdb::memory:?database=aa_ingest_ch');
  await store.migrate();
  meta = openSqliteMetaStore(':memory:');
  await meta.migrate();
});
after(async () => {
  await store?.close();
  await meta?.close();
});

const NOW = Date.UTC(2024, 4, 10, 12);
const row = (id: string, received_at: number): EventRow => ({
  id, project_id: 'prj_u', ts: received_at, date: new Date(received_at).toISOString().slice(0, 10), received_at, event: 'page_view',
  user_id: null, session_id: null, path: null, url: null, hostname: null, referrer: null, referrer_domain: null, title: null,
  utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, browser: null, browser_version: null,
  os: null, device: null, country: null, language: null, screen: null, properties: null,
});

test('start-up usage reconcile adds events stored but not counted', async () => {
  await store.insert([row('01HX0000000000000000000001', NOW), row('01HX0000000000000000000002', NOW - 86_400_000)]);
  const deltas = await reconcileUsage(store, meta, NOW);
  assert.deepEqual(deltas.sort((a, b) => a.date.localeCompare(b.date)), [
    { project_id: 'prj_u', date: '2024-05-09', events: 1 },
    { project_id: 'prj_u', date: '2024-05-10', events: 1 },
  ]);
});
