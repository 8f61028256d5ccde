// The ClickHouse EventStore on the real ClickHouse engine (chdb in-process, as @clickhouse/client's
// connection): schema, dedup, identify, purge, and rows identical to DuckDB's for the same input.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { openChdbClient, parseClickHouseUrl } from '../../src/store/clickhouse/connect.js';
import { ClickHouseEventStore, READ_SETTINGS } from '../../src/store/clickhouse/event-store.js';
import { bookkeepingStatements, CLICKHOUSE_MIGRATIONS } from '../../src/store/clickhouse/migrations.js';
import { rewriteDollarParams } from '../../src/store/clickhouse/params.js';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { EVENT_COLUMNS, type EventRow } from '../../src/store/ports.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 10, 12); // 2024-01-10 12:00 UTC

let n = 0;
function row(over: Partial<EventRow> = {}): EventRow {
  const ts = over.ts ?? T0;
  const id = `01HN${String(n++).padStart(22, '0')}`;
  return {
    id, project_id: 'prj_a', ts, date: new Date(ts).toISOString().slice(0, 10), received_at: ts + 5, event: 'page_view',
    user_id: null, session_id: 'ses_1', path: '/', url: 'https://a.example/', hostname: 'a.example', referrer: null,
    referrer_domain: null, title: 'Home', utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null,
    browser: 'Chrome', browser_version: '120', os: 'macOS', device: 'desktop', country: 'DE', language: 'de', screen: '1440x900',
    properties: JSON.stringify({ path: '/', plan: "it's \"pro\"", n: 3 }), ...over,
  };
}

const database = `aa_test_${randomBytes(5).toString('hex')}`;
let client: ClickHouseClient;
let store: ClickHouseEventStore;

before(async () => {
  client = await openChdbClient(':memory:', database);
  store = new ClickHouseEventStore(client, { database, cluster: null });
  await store.migrate();
});
after(async () => {
  await client?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await store?.close();
});

const all = (project = 'prj_a') => store.query<EventRow>({ sql: `SELECT ${EVENT_COLUMNS.join(', ')} FROM events WHERE project_id = {p1:String} ORDER BY id`, params: [project] });

describe('ClickHouse EventStore', () => {
  test('migrate is idempotent and records each version once', async () => {
    await store.migrate();
    await store.migrate();
    const rs = await client.query({ query: 'SELECT version, count() AS n FROM schema_migrations GROUP BY version ORDER BY version', format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS });
    assert.deepEqual(await rs.json(), CLICKHOUSE_MIGRATIONS.map((m) => ({ version: m.version, n: 1 })));
  });

  test('insert then query: every column round-trips, parameters are bound', async () => {
    const rows = [row({ project_id: 'prj_rt' }), row({ project_id: 'prj_rt', user_id: 'u1', properties: null, ts: T0 + 1000, title: "O'Brien \\ \"quoted\"\n" })];
    await store.insert(rows);
    assert.deepEqual(await all('prj_rt'), rows);
    const hit = await store.query({ sql: 'SELECT count() AS n FROM events WHERE project_id = {p1:String} AND ts >= {p2:Int64} AND title = {p3:String}', params: ['prj_rt', T0 + 1, "O'Brien \\ \"quoted\"\n"] });
    assert.deepEqual(hit, [{ n: 1 }]);
    const injection = await store.query({ sql: 'SELECT count() AS n FROM events WHERE project_id = {p1:String}', params: ["prj_rt' OR 1=1 --"] });
    assert.deepEqual(injection, [{ n: 0 }]);
    await store.insert([]);
  });

  test('an event inserted twice (a retried batch) is counted once', async () => {
    const r = row({ project_id: 'prj_dup' });
    await store.insert([r]);
    await store.insert([r, row({ project_id: 'prj_dup' })]);
    assert.deepEqual(await store.query({ sql: 'SELECT count() AS n, uniqExact(id) AS u FROM events WHERE project_id = {p1:String}', params: ['prj_dup'] }), [{ n: 2, u: 2 }]);
    const counts = await store.countEvents(['prj_dup', 'prj_none'], r.date);
    assert.deepEqual([...counts], [['prj_dup', { total: 2, today: 2 }]]);
  });

  test('countEvents: lifetime and one UTC day per project', async () => {
    await store.insert([row({ project_id: 'prj_c1' }), row({ project_id: 'prj_c1', ts: T0 - DAY }), row({ project_id: 'prj_c2', ts: T0 - 2 * DAY })]);
    const m = await store.countEvents(['prj_c1', 'prj_c2'], '2024-01-10');
    assert.deepEqual(m.get('prj_c1'), { total: 2, today: 1 });
    assert.deepEqual(m.get('prj_c2'), { total: 1, today: 0 });
    assert.equal((await store.countEvents([], '2024-01-10')).size, 0);
  });

  test('reassignUser rewrites one visitor in one project, as if every past event carried the id', async () => {
    const mine = [row({ project_id: 'prj_id', user_id: 'anon_1' }), row({ project_id: 'prj_id', user_id: 'anon_1', ts: T0 - 40 * DAY })];
    const others = [row({ project_id: 'prj_id', user_id: 'anon_2' }), row({ project_id: 'prj_other', user_id: 'anon_1' })];
    await store.insert([...mine, ...others]);
    await store.reassignUser('prj_id', 'anon_1', 'user_9');
    assert.deepEqual(await all('prj_id'), [...mine.map((r) => ({ ...r, user_id: 'user_9' })), others[0]]);
    assert.deepEqual(await all('prj_other'), [others[1]]);
    await store.reassignUser('prj_id', 'user_9', 'user_10'); // a second merge of the same visitor
    await store.reassignUser('prj_id', 'nobody', 'user_11');
    const users = await store.query({ sql: 'SELECT user_id, count() AS n FROM events WHERE project_id = {p1:String} GROUP BY user_id ORDER BY user_id', params: ['prj_id'] });
    assert.deepEqual(users, [{ user_id: 'anon_2', n: 1 }, { user_id: 'user_10', n: 2 }]);
    // A late retry of the original batch must not bring the anonymous id back.
    await store.insert(mine);
    assert.deepEqual((await all('prj_id')).map((r) => r.user_id), ['user_10', 'user_10', 'anon_2']);
  });

  test('purgeBefore deletes only older events of the listed projects', async () => {
    await store.insert([row({ project_id: 'prj_p1', ts: T0 - 100 * DAY }), row({ project_id: 'prj_p1' }), row({ project_id: 'prj_p2', ts: T0 - 100 * DAY })]);
    await store.purgeBefore(['prj_p1'], '2024-01-01');
    await store.purgeBefore([], '2024-01-01');
    assert.deepEqual((await all('prj_p1')).map((r) => r.date), ['2024-01-10']);
    assert.equal((await all('prj_p2')).length, 1);
  });

  test('portable SQL with $N placeholders answers like DuckDB (aliases never shadow columns)', async () => {
    const duck = await DuckDbEventStore.open(':memory:', { readers: 1, threads: 1 });
    try {
      await duck.migrate();
      const rows = [row({ project_id: 'prj_pt', ts: T0 - 5 * DAY }), row({ project_id: 'prj_pt', event: 'signup' }), row({ project_id: 'prj_pt', ts: T0 + 1 })];
      await duck.insert(rows);
      await store.insert(rows);
      const q = {
        sql: `SELECT id, event, ts AS timestamp, CAST(date AS VARCHAR) AS date FROM events
              WHERE project_id = $1 AND date >= CAST($2 AS DATE) AND event <> '$3' ORDER BY ts DESC, id DESC LIMIT $3`,
        params: ['prj_pt', '2024-01-08', 2],
      };
      const expected = await duck.query(q);
      assert.equal(expected.length, 2);
      assert.deepEqual(await store.query(q), expected);
    } finally {
      await duck.close();
    }
  });

  test('rows read back are identical to DuckDB\'s for the same batch', async () => {
    const duck = await DuckDbEventStore.open(':memory:', { readers: 1, threads: 1 });
    try {
      await duck.migrate();
      const rows = [row({ project_id: 'prj_x', ts: T0 + 1 }), row({ project_id: 'prj_x', user_id: 'u', country: null, properties: '{}' }), row({ project_id: 'prj_x', ts: T0 - 3 * DAY })];
      await duck.insert(rows);
      await store.insert(rows);
      const fromDuck = await duck.query({ sql: `SELECT ${EVENT_COLUMNS.join(', ')} FROM events WHERE project_id = $1 ORDER BY id`, params: ['prj_x'] });
      assert.deepEqual(await all('prj_x'), fromDuck);
    } finally {
      await duck.close();
    }
  });
});

describe('ClickHouse schema for a cluster', () => {
  const t = { database: 'analytics', cluster: 'prod' };
  const ddl = [...bookkeepingStatements(t), ...CLICKHOUSE_MIGRATIONS.flatMap((m) => m.statements(t))];

  // Backfills (INSERT … SELECT) run on one replica: what they write into a Replicated table replicates.
  const isDdl = (s: string) => !s.startsWith('INSERT');

  test('every DDL statement runs ON CLUSTER with Replicated engines', () => {
    assert.ok(ddl.some((s) => !isDdl(s)), 'the rollup backfills are among the statements');
    for (const s of ddl.filter(isDdl)) assert.match(s, /ON CLUSTER `prod`/);
    for (const s of ddl.filter((x) => x.startsWith('CREATE TABLE'))) {
      assert.match(s, /ENGINE = Replicated(Replacing|Aggregating)MergeTree\('\/clickhouse\/tables\/\{shard\}\/analytics\/\w+', '\{replica\}'/);
    }
  });

  test('every statement parses in ClickHouse', async () => {
    for (const s of ddl) {
      const rs = await client.query({ query: 'SELECT formatQuery({q:String}) AS f', query_params: { q: s }, format: 'JSONEachRow' });
      const [{ f }] = await rs.json<{ f: string }>();
      if (isDdl(s)) assert.match(f, /ON CLUSTER prod/);
    }
  });

  test('bad names never reach DDL', () => {
    assert.throws(() => new ClickHouseEventStore(client, { database: 'x; DROP TABLE y', cluster: null }), /invalid ClickHouse database/);
    assert.throws(() => new ClickHouseEventStore(client, { database: 'ok', cluster: 'a`b' }), /invalid ClickHouse cluster/);
  });
});

describe('AA_EVENTS_URL for ClickHouse', () => {
  test('server URLs', () => {
    assert.deepEqual(parseClickHouseUrl('clickhouse://aa:s%40cret@ch.internal:8123/analytics?cluster=prod'), {
      database: 'analytics', cluster: 'prod', chdbPath: null, httpUrl: 'http://ch.internal:8123', username: 'aa', password: 's@cret',
    });
    assert.deepEqual(parseClickHouseUrl('clickhouses://ch.example.com'), {
      database: 'default', cluster: null, chdbPath: null, httpUrl: 'https://ch.example.com:8443', username: 'default', password: '',
    });
  });
  test('chdb URLs', () => {
    assert.equal(parseClickHouseUrl('chdb:/var/lib/aa/ch').chdbPath, '/var/lib/aa/ch');
    assert.equal(parseClickHouseUrl('chdb:').chdbPath, ':memory:');
    assert.equal(parseClickHouseUrl('chdb::memory:?database=bench').database, 'bench');
  });
  test('malformed', () => {
    assert.throws(() => parseClickHouseUrl('clickhouse://h/bad-name'), /invalid ClickHouse database/);
  });
});

describe('$N placeholders on ClickHouse', () => {
  test('rewritten to typed names outside quotes only', () => {
    assert.equal(
      rewriteDollarParams(`SELECT '$1', "$2", \`$1\`, 'it''s $1', $1, $2, $3, $4 FROM t WHERE x = $10`, ['a', 2, 1.5, null, 0, 0, 0, 0, 0, true]),
      `SELECT '$1', "$2", \`$1\`, 'it''s $1', {p1:String}, {p2:Int64}, {p3:Float64}, {p4:Nullable(String)} FROM t WHERE x = {p10:Bool}`,
    );
    assert.equal(rewriteDollarParams('SELECT {p1:String}', ['x']), 'SELECT {p1:String}');
    assert.throws(() => rewriteDollarParams('SELECT $2', ['x']), /only 1 parameters/);
  });
});
