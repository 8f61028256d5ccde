// GET /bot-traffic and GET /account/bot-traffic on a real app: bots sent through the real ingestion routes
// with crawler User-Agents, counted per category and actor, visible at once, persisted across a restart,
// compared with the previous period, validated, and scoped to the caller's account.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { utcDay } from '../../src/query/time.js';
import type { BotTrafficDay } from '../../src/store/ports.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, post } from '../ingest/helpers.js';

const DAY = 86_400_000;
const day = (offset: number) => utcDay(Date.now() + offset * DAY);

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const GPTBOT = 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.1; +https://openai.com/gptbot';
const CLAUDEBOT = 'Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)';
const FACEBOOK = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
const PERPLEXITY = 'Mozilla/5.0 (compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)';

async function get(t: TestApp, url: string, key = t.ownerKey) {
  return t.app.inject({ url, headers: { 'x-api-key': key } });
}

async function botTraffic(t: TestApp, query: string, key = t.ownerKey) {
  const res = await get(t, `/bot-traffic?${query}`, key);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Send one bot request through the real route and check the contract's answer. */
async function sendBot(t: TestApp, url: string, body: unknown, ua: string) {
  const res = await post(t, url, body, { 'user-agent': ua });
  assert.equal(res.statusCode, 200, `${ua}: ${res.body}`);
  assert.deepEqual(res.json(), { ok: true, queued: false, dropped: 'bot' });
}

const isoWithin = (v: unknown, from: number, to: number) => {
  assert.equal(typeof v, 'string');
  assert.match(v as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const ms = Date.parse(v as string);
  assert.ok(ms >= from && ms <= to, `${v} within the test run`);
};

describe('GET /bot-traffic: bots through the real ingestion routes', () => {
  let t: TestApp;
  let token: string;
  let projectId: string;
  let started: number;
  before(async () => {
    t = await startTestApp({ AA_BOT_FLUSH_MS: '0' });
    ({ project_token: token, id: projectId } = await t.newProject(t.ownerKey, 'bots-site'));
    started = Date.now();
    await sendBot(t, '/track', { token, event: 'page_view' }, GOOGLEBOT);
    await sendBot(t, '/track', { token, event: 'page_view' }, GOOGLEBOT);
    await sendBot(t, '/track/batch', { events: [{ token, event: 'a' }, { token, event: 'b' }, { token, event: 'c' }] }, GOOGLEBOT);
    await sendBot(t, '/track', { token, event: 'page_view' }, BINGBOT);
    await sendBot(t, '/track', { token, event: 'page_view' }, GPTBOT);
    await sendBot(t, `/track?token=${token}`, { event: 'page_view' }, GPTBOT);
    await sendBot(t, '/track', { token, event: 'page_view' }, CLAUDEBOT);
    await sendBot(t, '/track', { token, event: 'page_view' }, FACEBOOK);
    await sendBot(t, '/identify', { token, previous_id: 'anon', user_id: 'u1' }, PERPLEXITY);
    // Not counted for the project: no token to attribute it, and scripted clients are stored, not filtered (P1).
    await sendBot(t, '/track', { event: 'page_view' }, GOOGLEBOT);
    assert.equal((await post(t, '/track', { token, event: 'scripted' }, { 'user-agent': 'curl/8.5.0' })).statusCode, 202);
  });
  after(async () => t.close());

  test('every field, exact: categories, actors, summary, zero-filled series — visible before any flush', async () => {
    const b = await botTraffic(t, 'project=bots-site');
    const ended = Date.now();
    assert.deepEqual(Object.keys(b), ['scope', 'period', 'summary', 'categories', 'actors', 'time_series']);
    assert.equal(b.scope, 'project');
    assert.deepEqual(b.period, { label: '7d', from: day(-6), to: day(0), previous_from: day(-13), previous_to: day(-7) });
    assert.deepEqual(b.summary.automated_requests, { current: 9, previous: 0, change: 9, change_pct: null });
    assert.deepEqual(b.summary.dropped_events, { current: 10, previous: 0, change: 10, change_pct: null });
    isoWithin(b.summary.last_seen_at, started, ended);
    // 4 search (6 events), 4 ai (3 events: /identify carries none), 1 social; the 4-4 tie goes to more dropped events.
    assert.deepEqual(b.categories, [
      { category: 'search_crawler', requests: 4, dropped_events: 6, share_pct: 44.4 },
      { category: 'ai_agent', requests: 4, dropped_events: 3, share_pct: 44.4 },
      { category: 'social_preview', requests: 1, dropped_events: 1, share_pct: 11.1 },
    ]);
    const actors = b.actors.map((a: any) => [a.actor, a.category, a.requests, a.dropped_events]);
    assert.deepEqual(actors, [
      ['Googlebot', 'search_crawler', 3, 5],
      ['GPTBot', 'ai_agent', 2, 2],
      ['Bingbot', 'search_crawler', 1, 1],
      ['ClaudeBot', 'ai_agent', 1, 1],
      ['facebookexternalhit', 'social_preview', 1, 1],
      ['PerplexityBot', 'ai_agent', 1, 0],
    ]);
    for (const a of b.actors) isoWithin(a.last_seen_at, started, ended);
    assert.equal(b.actors[0].last_seen_at <= b.summary.last_seen_at, true);
    assert.deepEqual(b.time_series, [-6, -5, -4, -3, -2, -1, 0].map((o) => ({ date: day(o), requests: o === 0 ? 9 : 0, dropped_events: o === 0 ? 10 : 0 })));
    // Nothing of it reached the event store; the curl event did.
    assert.equal(await countRows(t, projectId), 1);
    assert.deepEqual(await t.stores.meta.botTraffic([projectId], day(-1), day(0)), [], 'not flushed yet (AA_BOT_FLUSH_MS=0)');
  });

  test('limit keeps the top actors; ties are broken by dropped events, then name', async () => {
    const b = await botTraffic(t, 'project=bots-site&limit=3');
    assert.deepEqual(b.actors.map((a: any) => a.actor), ['Googlebot', 'GPTBot', 'Bingbot']);
    assert.equal(b.categories.length, 3, 'limit applies to actors only');
    assert.equal((await botTraffic(t, 'project=bots-site&limit=50')).actors.length, 6);
    assert.equal((await botTraffic(t, `project=${projectId}&limit=1`)).actors[0].actor, 'Googlebot', 'the project id works too');
  });

  test('a flush moves the counts to the store without changing the answer; reads racing flushes never double count', async () => {
    const before = await botTraffic(t, 'project=bots-site');
    const drops = t.app.services.ingest.drops;
    const reads = await Promise.all([drops.flush(), botTraffic(t, 'project=bots-site'), drops.flush(), botTraffic(t, 'project=bots-site'), botTraffic(t, 'project=bots-site&period=1d')]);
    for (const r of [reads[1], reads[3]]) assert.deepEqual(r, before);
    assert.equal(reads[4].summary.automated_requests.current, 9);
    const stored = await t.stores.meta.botTraffic([projectId], day(0), day(0));
    assert.equal(stored.reduce((n, r) => n + r.requests, 0), 9);
    assert.equal(stored.reduce((n, r) => n + r.dropped_events, 0), 10);
    // One more bot after the flush: stored rows + the pending delta.
    await sendBot(t, '/track', { token, event: 'page_view' }, GOOGLEBOT);
    const after = await botTraffic(t, 'project=bots-site');
    assert.equal(after.summary.automated_requests.current, 10);
    assert.deepEqual(after.actors[0], { ...after.actors[0], actor: 'Googlebot', requests: 4, dropped_events: 6 });
  });

  test('validation: PROJECT_REQUIRED, MISSING_FIELDS for period and limit, 404 for unknown projects, 401 without a key', async () => {
    const expect = async (url: string, status: number, code: string) => {
      const res = await get(t, url);
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.equal(res.json().error, code, url);
      assert.ok(res.json().message.length > 10);
    };
    await expect('/bot-traffic', 400, 'PROJECT_REQUIRED');
    await expect('/bot-traffic?period=7d', 400, 'PROJECT_REQUIRED');
    for (const p of ['2w', '7', '60d', '']) await expect(`/bot-traffic?project=bots-site&period=${p}`, 400, 'MISSING_FIELDS');
    for (const l of ['0', '51', 'abc', '2.5', '-1', '']) await expect(`/bot-traffic?project=bots-site&limit=${l}`, 400, 'MISSING_FIELDS');
    for (const l of ['0', '51']) await expect(`/account/bot-traffic?limit=${l}`, 400, 'MISSING_FIELDS');
    await expect('/account/bot-traffic?period=1w', 400, 'MISSING_FIELDS');
    await expect('/bot-traffic?project=nope', 404, 'NOT_FOUND');
    for (const p of ['1d', '7d', '14d', '30d', '90d']) assert.equal((await botTraffic(t, `project=bots-site&period=${p}`)).time_series.length, Number.parseInt(p, 10));
    const anon = await t.app.inject({ url: '/bot-traffic?project=bots-site' });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error, 'AUTH_REQUIRED');
  });

  test('tenant isolation: another account gets what /insights answers it (404 by name and by id), and its own empty report', async () => {
    const other = await t.newAccount('free');
    for (const ref of ['bots-site', projectId]) {
      const mine = await get(t, `/bot-traffic?project=${ref}`, other);
      const insights = await get(t, `/insights?project=${ref}`, other);
      assert.equal(mine.statusCode, 404, ref);
      assert.equal(mine.statusCode, insights.statusCode);
      assert.equal(mine.json().error, insights.json().error);
      assert.doesNotMatch(mine.body, /Googlebot/);
    }
    const acc = await get(t, '/account/bot-traffic', other);
    assert.equal(acc.statusCode, 200, 'available on the free tier');
    assert.deepEqual(acc.json().summary, {
      automated_requests: { current: 0, previous: 0, change: 0, change_pct: 0 },
      dropped_events: { current: 0, previous: 0, change: 0, change_pct: 0 },
      last_seen_at: null, active_projects: 0, total_projects: 0,
    });
    assert.deepEqual([acc.json().categories, acc.json().actors, acc.json().projects], [[], [], []]);
  });

  test('/openapi.json documents both routes with their parameters', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    const p = spec.paths['/bot-traffic'].get;
    assert.deepEqual(p.parameters.map((x: any) => x.name).sort(), ['limit', 'period', 'project']);
    assert.ok(p.responses['200'].content['application/json'].schema.properties.actors);
    assert.ok(spec.paths['/account/bot-traffic'].get.responses['200'].content['application/json'].schema.properties.remaining_projects);
  });
});

describe('GET /bot-traffic: previous period and windows over stored rows', () => {
  let t: TestApp;
  let projectId: string;
  let token: string;
  const row = (offset: number, category: string, actor: string, requests: number, dropped_events: number): BotTrafficDay => ({
    date: day(offset), project_id: projectId, category, actor, requests, dropped_events, last_seen_at: Date.parse(`${day(offset)}T12:00:00.000Z`),
  });
  before(async () => {
    t = await startTestApp({ AA_BOT_FLUSH_MS: '0' });
    ({ id: projectId, project_token: token } = await t.newProject(t.ownerKey, 'history'));
    await t.stores.meta.addBotTraffic([
      row(-3, 'search_crawler', 'Googlebot', 5, 7),
      row(-6, 'social_preview', 'Twitterbot', 1, 1), // first day of the 7d window
      row(-7, 'monitoring_perf', 'UptimeRobot', 1, 0), // last day of the previous 7d window
      row(-10, 'search_crawler', 'Googlebot', 2, 2),
      row(-10, 'seo_research', 'AhrefsBot', 2, 4),
      row(-20, 'ai_agent', 'GPTBot', 8, 8),
    ]);
    await sendBot(t, '/track', { token, event: 'x' }, GPTBOT); // today, not flushed
  });
  after(async () => t.close());

  test('7d: current N days ending today vs the N days before, as delta metrics', async () => {
    const b = await botTraffic(t, 'project=history');
    assert.deepEqual(b.summary.automated_requests, { current: 7, previous: 5, change: 2, change_pct: 40 });
    assert.deepEqual(b.summary.dropped_events, { current: 9, previous: 6, change: 3, change_pct: 50 });
    assert.deepEqual(b.time_series.map((d: any) => [d.requests, d.dropped_events]), [[1, 1], [0, 0], [0, 0], [5, 7], [0, 0], [0, 0], [1, 1]]);
    assert.deepEqual(b.categories.map((c: any) => [c.category, c.requests, c.share_pct]), [['search_crawler', 5, 71.4], ['ai_agent', 1, 14.3], ['social_preview', 1, 14.3]]);
    assert.deepEqual(b.actors.map((a: any) => [a.actor, a.requests, a.last_seen_at.slice(0, 10)]), [['Googlebot', 5, day(-3)], ['GPTBot', 1, day(0)], ['Twitterbot', 1, day(-6)]]);
    assert.equal(b.actors[0].last_seen_at, `${day(-3)}T12:00:00.000Z`);
  });

  test('14d, 1d and 90d windows', async () => {
    const w14 = await botTraffic(t, 'project=history&period=14d');
    assert.deepEqual(w14.period, { label: '14d', from: day(-13), to: day(0), previous_from: day(-27), previous_to: day(-14) });
    assert.deepEqual(w14.summary.automated_requests, { current: 12, previous: 8, change: 4, change_pct: 50 });
    assert.deepEqual(w14.summary.dropped_events, { current: 15, previous: 8, change: 7, change_pct: 88 });
    const w1 = await botTraffic(t, 'project=history&period=1d');
    assert.deepEqual(w1.summary.automated_requests, { current: 1, previous: 0, change: 1, change_pct: null });
    assert.deepEqual(w1.time_series, [{ date: day(0), requests: 1, dropped_events: 1 }]);
    const w90 = await botTraffic(t, 'project=history&period=90d');
    assert.deepEqual(w90.summary.automated_requests, { current: 20, previous: 0, change: 20, change_pct: null });
    assert.equal(w90.time_series.length, 90);
    assert.equal(w90.time_series.reduce((n: number, d: any) => n + d.requests, 0), 20);
  });

  test('the retention purge job drops stored rows older than the longest comparison (180 days), not younger ones', async () => {
    const { purgeExpired } = await import('../../src/jobs/retention-purge.js');
    await t.stores.meta.addBotTraffic([row(-179, 'ai_agent', 'GPTBot', 1, 1), row(-180, 'ai_agent', 'GPTBot', 1, 1)]);
    await purgeExpired({ config: t.config, meta: t.stores.meta, events: t.stores.events });
    const left = await t.stores.meta.botTraffic([projectId], day(-400), day(0));
    assert.deepEqual(left.map((r) => r.date), [day(-179), day(-20), day(-10), day(-10), day(-7), day(-6), day(-3)]);
    const w90 = await botTraffic(t, 'project=history&period=90d');
    assert.deepEqual(w90.summary.automated_requests, { current: 20, previous: 1, change: 19, change_pct: 1900 });
  });

  test('a quiet period: both zero → change_pct 0, last_seen_at null, empty lists, the series still zero-filled', async () => {
    const other = await t.newProject(t.ownerKey, 'quiet');
    const b = await botTraffic(t, `project=${other.name}&period=14d`);
    assert.deepEqual(b.summary, {
      automated_requests: { current: 0, previous: 0, change: 0, change_pct: 0 },
      dropped_events: { current: 0, previous: 0, change: 0, change_pct: 0 },
      last_seen_at: null,
    });
    assert.deepEqual([b.categories, b.actors], [[], []]);
    assert.equal(b.time_series.length, 14);
    assert.ok(b.time_series.every((d: any) => d.requests === 0 && d.dropped_events === 0));
  });
});

describe('bot counts survive a restart on the same data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-bots-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('close flushes what is pending; the next app on the folder answers the same', async () => {
    const first = await startTestApp({ AA_BOT_FLUSH_MS: '0' }, { dir });
    const { project_token: token, id } = await first.newProject(first.ownerKey, 'restart-site');
    await sendBot(first, '/track', { token, event: 'a' }, GOOGLEBOT);
    await sendBot(first, '/track/batch', { events: [{ token, event: 'a' }, { token, event: 'b' }] }, GPTBOT);
    const before = await botTraffic(first, 'project=restart-site');
    assert.equal(before.summary.automated_requests.current, 2);
    assert.deepEqual(await first.stores.meta.botTraffic([id], day(0), day(0)), [], 'nothing written before close');
    await first.close();

    const second = await startTestApp({ AA_BOT_FLUSH_MS: '0' }, { dir });
    try {
      assert.deepEqual(await botTraffic(second, 'project=restart-site'), before);
      const stored = (await second.stores.meta.botTraffic([id], day(0), day(0))).map((r) => [r.category, r.actor, r.requests, r.dropped_events]);
      assert.deepEqual(stored, [['ai_agent', 'GPTBot', 1, 2], ['search_crawler', 'Googlebot', 1, 1]]);
      // New counts in the second life add to the stored ones.
      await sendBot(second, '/track', { token, event: 'a' }, GOOGLEBOT);
      const b = await botTraffic(second, 'project=restart-site');
      assert.deepEqual(b.summary.automated_requests.current, 3);
      assert.deepEqual(b.actors.map((a: any) => [a.actor, a.requests]), [['Googlebot', 2], ['GPTBot', 1]]);
    } finally {
      await second.close();
    }
  });

  test('the periodic flush (AA_BOT_FLUSH_MS) writes without a close, and reads do not count twice', async () => {
    const t = await startTestApp({ AA_BOT_FLUSH_MS: '40' });
    try {
      const { project_token: token, id } = await t.newProject(t.ownerKey, 'flush-site');
      await sendBot(t, '/track', { token, event: 'a' }, CLAUDEBOT);
      const deadline = Date.now() + 3000;
      let stored: BotTrafficDay[] = [];
      while (Date.now() < deadline && stored.length === 0) {
        await new Promise((r) => setTimeout(r, 20));
        stored = await t.stores.meta.botTraffic([id], day(0), day(0));
      }
      assert.deepEqual(stored.map((r) => [r.actor, r.requests, r.dropped_events]), [['ClaudeBot', 1, 1]]);
      assert.equal((await botTraffic(t, 'project=flush-site')).summary.automated_requests.current, 1);
    } finally {
      await t.close();
    }
  });
});

describe('GET /account/bot-traffic', () => {
  let t: TestApp;
  let key: string;
  before(async () => {
    t = await startTestApp({ AA_BOT_FLUSH_MS: '0' });
    key = await t.newAccount('pro');
  });
  after(async () => t.close());

  test('every non-deleted project ranked by requests; a deleted project and other accounts are left out', async () => {
    const alpha = await t.newProject(key, 'alpha', 'https://alpha.test');
    const beta = await t.newProject(key, 'beta', 'https://beta.test');
    const gone = await t.newProject(key, 'gone', 'https://gone.test');
    const quiet = await t.newProject(key, 'quiet', 'https://quiet.test');
    const owners = await t.newProject(t.ownerKey, 'owners-site');
    for (let i = 0; i < 3; i++) await sendBot(t, '/track', { token: beta.project_token, event: 'x' }, GOOGLEBOT);
    await sendBot(t, '/track/batch', { events: [{ token: beta.project_token, event: 'x' }, { token: beta.project_token, event: 'y' }] }, GPTBOT);
    await sendBot(t, '/track', { token: alpha.project_token, event: 'x' }, GPTBOT);
    for (let i = 0; i < 5; i++) await sendBot(t, '/track', { token: gone.project_token, event: 'x' }, BINGBOT);
    for (let i = 0; i < 7; i++) await sendBot(t, '/track', { token: owners.project_token, event: 'x' }, BINGBOT);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/projects/${gone.id}`, headers: { 'x-api-key': key } })).statusCode, 200);

    const res = await get(t, '/account/bot-traffic?limit=2', key);
    assert.equal(res.statusCode, 200, res.body);
    const b = res.json();
    assert.deepEqual(Object.keys(b), ['scope', 'period', 'summary', 'categories', 'actors', 'time_series', 'projects', 'remaining_projects']);
    assert.equal(b.scope, 'account');
    assert.deepEqual(b.period, { label: '7d', from: day(-6), to: day(0), previous_from: day(-13), previous_to: day(-7) });
    const { last_seen_at, ...summary } = b.summary;
    assert.deepEqual(summary, {
      automated_requests: { current: 5, previous: 0, change: 5, change_pct: null },
      dropped_events: { current: 6, previous: 0, change: 6, change_pct: null },
      active_projects: 2, total_projects: 3,
    });
    assert.equal(typeof last_seen_at, 'string');
    assert.deepEqual(b.projects.map((p: any) => [p.id, p.name, p.requests, p.dropped_events, p.share_pct]), [
      [beta.id, 'beta', 4, 5, 80], [alpha.id, 'alpha', 1, 1, 20],
    ]);
    assert.ok(b.projects.every((p: any) => typeof p.last_seen_at === 'string'));
    assert.equal(b.remaining_projects, 1);
    assert.deepEqual(b.categories, [{ category: 'ai_agent', requests: 2, dropped_events: 3, share_pct: 40 }, { category: 'search_crawler', requests: 3, dropped_events: 3, share_pct: 60 }].sort((x, y) => y.requests - x.requests));
    assert.deepEqual(b.actors.map((a: any) => [a.actor, a.requests, a.dropped_events]), [['Googlebot', 3, 3], ['GPTBot', 2, 3]], 'actors summed over projects');
    assert.equal(b.time_series.at(-1).requests, 5);

    const all = (await get(t, '/account/bot-traffic?limit=50&period=30d', key)).json();
    assert.deepEqual(all.projects.map((p: any) => [p.name, p.requests, p.last_seen_at === null]), [['beta', 4, false], ['alpha', 1, false], ['quiet', 0, true]]);
    assert.equal(all.remaining_projects, 0);
    assert.equal(all.time_series.length, 30);
    assert.ok(!JSON.stringify(all).includes(gone.id) && !JSON.stringify(all).includes(owners.id));
    // The deleted project's counts are still stored (they are statistics), just not reported.
    assert.equal((await t.app.services.ingest.drops.botTrafficDays([gone.id], day(0), day(0)))[0].requests, 5);
    assert.equal(quiet.name, 'quiet');
  });
});
