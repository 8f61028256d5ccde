// Experiment results (E28) on ClickHouse: the experiment SQL asks the Dialect only for placeholders
// and JSON access, so the same counts must come back from DuckDB and ClickHouse for the same events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { variantCounts } from '../../src/experiments/results.js';
import { openClickHouseEventStore } from '../../src/store/clickhouse/connect.js';
import type { ClickHouseEventStore } from '../../src/store/clickhouse/event-store.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import type { EventRow, Experiment } from '../../src/store/ports.js';

const T0 = Date.UTC(2026, 1, 2, 9);
let n = 0;
function ev(user: string | null, event: string, at: number, props: Record<string, unknown> | null): EventRow {
  return {
    id: `01KG${String(n++).padStart(22, '0')}`, project_id: 'prj_x', ts: T0 + at, date: new Date(T0 + at).toISOString().slice(0, 10),
    received_at: T0 + at, event, user_id: user, session_id: user && `s_${user}`, path: null, url: null, hostname: null, referrer: null,
    referrer_domain: null, title: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null,
    browser: null, browser_version: null, os: null, device: null, country: null, language: null, screen: null,
    properties: props && JSON.stringify(props),
  };
}
const expose = (user: string | null, variant: string, at: number, experiment = 'hero') => ev(user, '$experiment_exposure', at, { experiment, variant });

const ROWS = [
  expose('u1', 'control', 0), expose('u1', 'control', 10), ev('u1', 'signup', 20, null), // converts
  expose('u2', 'b', 0), ev('u2', 'signup', -5, null), // goal before exposure only: no conversion
  expose('u3', 'b', 5), expose('u3', 'control', 6), ev('u3', 'signup', 7, { plan: 'pro' }), // first exposure wins: b
  expose(null, 'b', 1), // anonymous exposure: counted as exposure, not as a user
  expose('u4', 'c', 1), // unknown variant: ignored
  expose('u5', 'control', 1, 'other'), // another experiment
];

const exp: Experiment = {
  id: 'exp_1', project_id: 'prj_x', account_id: 'acc_1', name: 'hero', variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }],
  goal_event: 'signup', status: 'active', winner: null, created_at: new Date(T0 - 1000).toISOString(), updated_at: new Date(T0).toISOString(), completed_at: null,
};

let duck: DuckDbEventStore;
let ch: ClickHouseEventStore;
before(async () => {
  duck = await DuckDbEventStore.open(':memory:', { readers: 1, threads: 1 });
  await duck.migrate();
  ch = await openClickHouseEventStore('chdb::memory:?database=aa_exp_ch');
  await ch.migrate();
  await duck.insert(ROWS);
  await ch.insert(ROWS);
});
after(async () => {
  await duck?.close();
  await ch?.close();
});

test('variant counts are identical on DuckDB and ClickHouse, and as worked out by hand', async () => {
  const expected = [
    { key: 'control', exposures: 3, unique_users: 1, conversions: 1 },
    { key: 'b', exposures: 3, unique_users: 2, conversions: 1 },
  ];
  assert.deepEqual(await variantCounts(duck, exp), expected);
  assert.deepEqual(await variantCounts(ch, exp), expected);
});
