// The bot-traffic table of the MetaStore on SQLite (temp file) and PostgreSQL (a fresh schema per run):
// the additive upsert, last_seen_at = max, range reads, pruning, and two "replicas" (two DropCounters, two
// store connections) flushing into one store at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { drop } from '../../src/ingest/drop.js';
import { DropCounters } from '../../src/ingest/drop-counters.js';
import { openPostgresMetaStore } from '../../src/store/meta/postgres.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import type { BotTrafficDay, MetaStore } from '../../src/store/ports.js';
import { freshPgSchema, servicesOrSkip } from '../cluster/services.js';

const T0 = Date.UTC(2026, 2, 9, 8, 0, 0);
const r = (over: Partial<BotTrafficDay>): BotTrafficDay => ({
  date: '2026-03-09', project_id: 'proj_a', category: 'search_crawler', actor: 'Googlebot', requests: 1, dropped_events: 1, last_seen_at: T0, ...over,
});
const bot = (category: string, actor: string) => drop('bot', null, { category, actor });
const strip = (rows: BotTrafficDay[]) => rows.map((x) => [x.project_id, x.date, x.category, x.actor, x.requests, x.dropped_events, x.last_seen_at]);

/** `second` is another connection to the same store where the engine has several writers (PostgreSQL). */
interface Opened { meta: MetaStore; second: () => MetaStore; cleanup(): Promise<void> }

function suite(name: string, open: () => Promise<Opened>, skip: () => string | false) {
  describe(`bot traffic store: ${name}`, { skip: skip() }, () => {
    let o: Opened;
    let other: MetaStore;
    before(async () => {
      o = await open();
      await o.meta.migrate();
      other = o.second();
    });
    after(async () => {
      if (other !== o?.meta) await other?.close();
      await o?.meta.close();
      await o?.cleanup();
    });

    test('the upsert adds requests and events and keeps the latest last_seen_at', async () => {
      await o.meta.addBotTraffic([r({ project_id: 'p1', requests: 2, dropped_events: 5, last_seen_at: T0 + 50 })]);
      await o.meta.addBotTraffic([r({ project_id: 'p1', requests: 3, dropped_events: 1, last_seen_at: T0 + 10 })]); // older: kept out
      await o.meta.addBotTraffic([r({ project_id: 'p1', requests: 1, dropped_events: 0, last_seen_at: T0 + 99 }), r({ project_id: 'p1', actor: 'Bingbot', requests: 4, dropped_events: 4 })]);
      assert.deepEqual(strip(await o.meta.botTraffic(['p1'], '2026-03-09', '2026-03-09')), [
        ['p1', '2026-03-09', 'search_crawler', 'Bingbot', 4, 4, T0],
        ['p1', '2026-03-09', 'search_crawler', 'Googlebot', 6, 6, T0 + 99],
      ]);
    });

    test('one call naming a key twice is merged (PostgreSQL cannot update a row twice in one statement)', async () => {
      await o.meta.addBotTraffic([r({ project_id: 'p2', requests: 1, last_seen_at: T0 + 5 }), r({ project_id: 'p2', requests: 2, dropped_events: 3, last_seen_at: T0 + 1 })]);
      assert.deepEqual(strip(await o.meta.botTraffic(['p2'], '2000-01-01', '2100-01-01')), [['p2', '2026-03-09', 'search_crawler', 'Googlebot', 3, 4, T0 + 5]]);
      await o.meta.addBotTraffic([]);
    });

    test('reads are scoped to the projects and the inclusive date range', async () => {
      await o.meta.addBotTraffic([
        r({ project_id: 'p3', date: '2026-03-01' }), r({ project_id: 'p3', date: '2026-03-02' }), r({ project_id: 'p3', date: '2026-03-03' }),
        r({ project_id: 'p4', date: '2026-03-02', requests: 9 }),
      ]);
      assert.deepEqual((await o.meta.botTraffic(['p3'], '2026-03-02', '2026-03-03')).map((x) => x.date), ['2026-03-02', '2026-03-03']);
      assert.deepEqual((await o.meta.botTraffic(['p3', 'p4'], '2026-03-02', '2026-03-02')).map((x) => [x.project_id, x.requests]), [['p3', 1], ['p4', 9]]);
      assert.deepEqual(await o.meta.botTraffic([], '2000-01-01', '2100-01-01'), []);
      assert.deepEqual(await o.meta.botTraffic(['nope'], '2000-01-01', '2100-01-01'), []);
    });

    test('a thousand rows in one flush (chunked statements, one transaction)', async () => {
      const rows = Array.from({ length: 1200 }, (_, i) => r({ project_id: 'p5', actor: `Bot${String(i).padStart(4, '0')}Crawler`, category: 'generic_bot', requests: i + 1 }));
      await o.meta.addBotTraffic(rows);
      const back = await o.meta.botTraffic(['p5'], '2026-03-09', '2026-03-09');
      assert.equal(back.length, 1200);
      assert.equal(back.reduce((n, x) => n + x.requests, 0), (1200 * 1201) / 2);
    });

    test('pruneBotTraffic deletes rows dated before the given date only', async () => {
      await o.meta.addBotTraffic([r({ project_id: 'p6', date: '2025-01-01' }), r({ project_id: 'p6', date: '2025-01-02' })]);
      await o.meta.pruneBotTraffic('2025-01-02');
      assert.deepEqual((await o.meta.botTraffic(['p6'], '2000-01-01', '2100-01-01')).map((x) => x.date), ['2025-01-02']);
    });

    test('two replicas (two DropCounters over two connections) flushing at once add up; each reads the sum plus its own pending', async () => {
      const a = new DropCounters({ store: o.meta });
      const b = new DropCounters({ store: other });
      for (let i = 0; i < 40; i++) {
        a.count(bot('ai_agent', 'GPTBot'), 'p7', 2, T0 + i);
        b.count(bot('ai_agent', 'GPTBot'), 'p7', 1, T0 + 100 + i);
      }
      b.count(bot('search_crawler', 'Googlebot'), 'p7', 1, T0);
      a.count(bot('search_crawler', 'Googlebot'), null, 1, T0); // unattributed: never stored
      // Before any flush each replica sees only its own counts.
      assert.deepEqual(strip(await a.botTrafficDays(['p7'], '2026-03-09', '2026-03-09')), [['p7', '2026-03-09', 'ai_agent', 'GPTBot', 40, 80, T0 + 39]]);
      await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()]);
      const expected = [
        ['p7', '2026-03-09', 'ai_agent', 'GPTBot', 80, 120, T0 + 139],
        ['p7', '2026-03-09', 'search_crawler', 'Googlebot', 1, 1, T0],
      ];
      assert.deepEqual(strip(await o.meta.botTraffic(['p7'], '2026-03-09', '2026-03-09')), expected);
      a.count(bot('ai_agent', 'GPTBot'), 'p7', 5, T0 + 500);
      const seenByA = strip(await a.botTrafficDays(['p7'], '2026-03-09', '2026-03-09')).sort();
      assert.deepEqual(seenByA, [['p7', '2026-03-09', 'ai_agent', 'GPTBot', 81, 125, T0 + 500], expected[1]]);
      assert.deepEqual(strip(await b.botTrafficDays(['p7'], '2026-03-09', '2026-03-09')).sort(), expected, 'b does not see a\'s pending delta');
      await Promise.all([a.close(), b.close()]);
      assert.equal((await o.meta.botTraffic(['p7'], '2026-03-09', '2026-03-09'))[0].requests, 81);
    });

    test('a failed write keeps the deltas for the next flush (nothing lost, nothing doubled)', async () => {
      let fail = true;
      const flaky: Pick<MetaStore, 'addBotTraffic' | 'botTraffic'> = {
        addBotTraffic: async (rows) => { if (fail) throw new Error('store down'); return o.meta.addBotTraffic(rows); },
        botTraffic: (ids, from, to) => o.meta.botTraffic(ids, from, to),
      };
      const errors: string[] = [];
      const c = new DropCounters({ store: flaky, log: (_e, msg) => errors.push(msg) });
      c.count(bot('seo_research', 'AhrefsBot'), 'p8', 3, T0);
      await c.flush();
      assert.equal(errors.length, 1);
      c.count(bot('seo_research', 'AhrefsBot'), 'p8', 1, T0 + 1);
      assert.deepEqual(strip(await c.botTrafficDays(['p8'], '2026-03-09', '2026-03-09')), [['p8', '2026-03-09', 'seo_research', 'AhrefsBot', 2, 4, T0 + 1]]);
      fail = false;
      await c.flush();
      await c.flush();
      assert.deepEqual(strip(await o.meta.botTraffic(['p8'], '2026-03-09', '2026-03-09')), [['p8', '2026-03-09', 'seo_research', 'AhrefsBot', 2, 4, T0 + 1]]);
      assert.deepEqual(strip(await c.botTrafficDays(['p8'], '2026-03-09', '2026-03-09')), [['p8', '2026-03-09', 'seo_research', 'AhrefsBot', 2, 4, T0 + 1]]);
    });

    test('invented generic actor names are capped per project and day; long names are cut', async () => {
      const c = new DropCounters({ store: o.meta });
      for (let i = 0; i < 130; i++) c.count(bot('generic_bot', `X${i}Crawler`), 'p9', 1, T0);
      c.count(bot('generic_bot', `${'A'.repeat(200)}Crawler`), 'p10', 1, T0);
      await c.close();
      const rows = await o.meta.botTraffic(['p9'], '2026-03-09', '2026-03-09');
      assert.equal(rows.length, 101, '100 named actors + Unknown');
      assert.deepEqual(strip(rows.filter((x) => x.actor === 'Unknown')), [['p9', '2026-03-09', 'generic_bot', 'Unknown', 30, 30, T0]]);
      assert.equal(rows.reduce((n, x) => n + x.requests, 0), 130);
      assert.equal((await o.meta.botTraffic(['p10'], '2026-03-09', '2026-03-09'))[0].actor, 'A'.repeat(64));
    });
  });
}

suite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-bot-store-'));
  const path = join(dir, 'meta.sqlite');
  const meta = openSqliteMetaStore(path);
  // The embedded store has one connection per process (one writer); "replicas" exist only on PostgreSQL.
  return { meta, second: () => meta, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}, () => false);

const pgSkip = await servicesOrSkip('postgres');
suite('postgres', async () => {
  const s = await freshPgSchema();
  return { meta: openPostgresMetaStore(s.url), second: () => openPostgresMetaStore(s.url), cleanup: () => s.drop() };
}, () => pgSkip);
