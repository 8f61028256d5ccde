// GET /account/all-sites end to end, on both event stores: events go in through the real POST /track with
// explicit timestamps spread over the current and previous periods of several projects of one account;
// another account (with a 3-day retention) and a deleted project must never show up in its answer.
// Every expected number below is worked out by hand from the event table in seedScenario().
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

const DAY = 86_400_000;

/** Days ago → YYYY-MM-DD, relative to the UTC date the scenario started on. */
function dateAgo(k: number, todayStart: number): string {
  return new Date(todayStart - k * DAY).toISOString().slice(0, 10);
}

interface Scenario {
  t: TestApp;
  otherKey: string;
  /** UTC date `k` days before today. */
  d(k: number): string;
  ids: Record<string, string>;
}

async function track(t: TestApp, token: string, event: string, timestamp: number): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/track', payload: { token, event, timestamp, user_id: 'u1' } });
  assert.equal(res.statusCode, 202, res.body);
}

async function seedScenario(env: Record<string, string>): Promise<Scenario> {
  const t = await startTestApp({ AA_TIER_FREE_RETENTION_DAYS: '3', AA_TIER_FREE_RATE_LIMIT_RPM: '10000', ...env });
  const now = Date.now();
  const todayStart = Math.floor(now / DAY) * DAY;
  // An instant on the day k days ago: today a minute ago (never before 00:00), earlier days at noon.
  const at = (k: number) => (k === 0 ? Math.max(todayStart, now - 60_000) : todayStart - k * DAY + 12 * 3_600_000);

  // Created out of name order, so the tie-breaks below prove "by name", not "by creation".
  const alpha = await t.newProject(t.ownerKey, 'alpha');
  const gamma = await t.newProject(t.ownerKey, 'gamma');
  const beta = await t.newProject(t.ownerKey, 'beta');
  const empty = await t.newProject(t.ownerKey, 'empty');
  const deltaSite = await t.newProject(t.ownerKey, 'delta-site');
  const gone = await t.newProject(t.ownerKey, 'gone');
  const otherKey = await t.newAccount('free');
  const other = await t.newProject(otherKey, 'other-site');

  // [project token, days ago, how many]
  const plan: [string, number, number][] = [
    [alpha.project_token, 0, 3], [alpha.project_token, 3, 2], [alpha.project_token, 6, 1], // current 6
    [alpha.project_token, 7, 2], [alpha.project_token, 13, 1], // previous (7d) 3
    [alpha.project_token, 14, 1], // outside 7d+7d; previous of 14d
    [beta.project_token, 1, 4], [beta.project_token, 10, 1], // current 4, previous 1
    [gamma.project_token, 2, 4], // current 4
    [deltaSite.project_token, 8, 2], // previous 2 only
    [gone.project_token, 0, 5], // deleted below: never counted
    [other.project_token, 0, 7], [other.project_token, 5, 2], [other.project_token, 9, 1], // another account
  ];
  for (const [token, k, n] of plan) for (let i = 0; i < n; i++) await track(t, token, i % 2 ? 'signup' : 'page_view', at(k));

  const del = await t.app.inject({ method: 'DELETE', url: `/projects/${gone.id}`, headers: { 'x-api-key': t.ownerKey } });
  assert.equal(del.statusCode, 200, del.body);
  return {
    t, otherKey, d: (k) => dateAgo(k, todayStart),
    ids: { alpha: alpha.id, beta: beta.id, gamma: gamma.id, empty: empty.id, 'delta-site': deltaSite.id, other: other.id, gone: gone.id },
  };
}

function allSitesSuite(engine: 'duckdb' | 'clickhouse', env: Record<string, string>) {
  describe(`GET /account/all-sites on ${engine}`, () => {
    let s: Scenario;
    before(async () => {
      s = await seedScenario(env);
      assert.equal(s.t.stores.events.engine, engine);
    });
    after(async () => { await s?.t.close(); });

    const get = (query: string, key = s.t.ownerKey) => s.t.app.inject({ method: 'GET', url: `/account/all-sites${query}`, headers: { 'x-api-key': key } });

    test('default 7d: exact totals, deltas, series, shares, order, last active dates', async () => {
      const res = await get('');
      assert.equal(res.statusCode, 200, res.body);
      const { d } = s;
      assert.deepEqual(res.json(), {
        scope: 'account',
        period: { label: '7d', from: d(6), to: d(0), previous_from: d(13), previous_to: d(7) },
        summary: {
          total_projects: 5, // alpha, gamma, beta, empty, delta-site; `gone` is deleted
          active_projects: 3,
          total_events: { current: 14, previous: 6, change: 8, change_pct: 133 }, // 8 / 6 = 133.3 %
        },
        time_series: [
          { date: d(6), events: 1 }, { date: d(5), events: 0 }, { date: d(4), events: 0 }, { date: d(3), events: 2 },
          { date: d(2), events: 4 }, { date: d(1), events: 4 }, { date: d(0), events: 3 },
        ],
        projects: [
          // previous_events / change_pct / daily_events (beyond Appendix A): each project's own comparison and series.
          { id: s.ids.alpha, name: 'alpha', events: 6, share_pct: 42.9, last_active_date: d(0), previous_events: 3, change_pct: 100, daily_events: [1, 0, 0, 2, 0, 0, 3] }, // 6 / 14 = 42.857
          { id: s.ids.beta, name: 'beta', events: 4, share_pct: 28.6, last_active_date: d(1), previous_events: 1, change_pct: 300, daily_events: [0, 0, 0, 0, 0, 4, 0] }, // tie with gamma: by name
          { id: s.ids.gamma, name: 'gamma', events: 4, share_pct: 28.6, last_active_date: d(2), previous_events: 0, change_pct: null, daily_events: [0, 0, 0, 0, 4, 0, 0] },
          { id: s.ids['delta-site'], name: 'delta-site', events: 0, share_pct: 0, last_active_date: d(8), previous_events: 2, change_pct: -100, daily_events: [0, 0, 0, 0, 0, 0, 0] },
          { id: s.ids.empty, name: 'empty', events: 0, share_pct: 0, last_active_date: null, previous_events: 0, change_pct: 0, daily_events: [0, 0, 0, 0, 0, 0, 0] },
        ],
        remaining_projects: 0,
      });
    });

    test('a small limit lists the top projects and counts the rest', async () => {
      const body = (await get('?limit=2')).json();
      assert.deepEqual(body.projects.map((p: { name: string }) => p.name), ['alpha', 'beta']);
      assert.equal(body.remaining_projects, 3);
      assert.equal(body.summary.total_projects, 5);
      assert.equal(body.summary.total_events.current, 14, 'the summary covers every project, listed or not');
      const one = (await get('?limit=1')).json();
      assert.deepEqual(one.projects.map((p: { name: string }) => p.name), ['alpha']);
      assert.equal(one.remaining_projects, 4);
      assert.equal((await get('?limit=50')).json().projects.length, 5);
    });

    test('1d: today vs yesterday, negative change', async () => {
      const body = (await get('?period=1d')).json();
      assert.deepEqual(body.period, { label: '1d', from: s.d(0), to: s.d(0), previous_from: s.d(1), previous_to: s.d(1) });
      assert.deepEqual(body.summary, { total_projects: 5, active_projects: 1, total_events: { current: 3, previous: 4, change: -1, change_pct: -25 } });
      assert.deepEqual(body.time_series, [{ date: s.d(0), events: 3 }]);
      assert.deepEqual(body.projects.map((p: { name: string; events: number; share_pct: number }) => [p.name, p.events, p.share_pct]),
        [['alpha', 3, 100], ['beta', 0, 0], ['delta-site', 0, 0], ['empty', 0, 0], ['gamma', 0, 0]]);
    });

    test('14d: the previous period reaches the event 14 days ago', async () => {
      const body = (await get('?period=14d')).json();
      assert.deepEqual(body.period, { label: '14d', from: s.d(13), to: s.d(0), previous_from: s.d(27), previous_to: s.d(14) });
      // current: alpha 3+2+1+2+1 = 9, beta 4+1 = 5, gamma 4, delta-site 2 → 20; previous: alpha's day-14 event.
      assert.deepEqual(body.summary, { total_projects: 5, active_projects: 4, total_events: { current: 20, previous: 1, change: 19, change_pct: 1900 } });
      assert.equal(body.time_series.length, 14);
      assert.equal(body.time_series.reduce((n: number, x: { events: number }) => n + x.events, 0), 20);
      assert.deepEqual(body.time_series[5], { date: s.d(8), events: 2 });
      assert.deepEqual(body.projects.map((p: { name: string; share_pct: number }) => [p.name, p.share_pct]),
        [['alpha', 45], ['beta', 25], ['gamma', 20], ['delta-site', 10], ['empty', 0]]);
    });

    test('30d and 90d: nothing in the previous period → change_pct null', async () => {
      for (const [period, days] of [['30d', 30], ['90d', 90]] as const) {
        const body = (await get(`?period=${period}`)).json();
        assert.deepEqual(body.summary.total_events, { current: 21, previous: 0, change: 21, change_pct: null }, period);
        assert.equal(body.time_series.length, days);
        assert.equal(body.time_series[0].date, s.d(days - 1));
        assert.equal(body.period.previous_from, s.d(2 * days - 1));
      }
    });

    test('tenant isolation and the other account\'s retention (3 days on its tier)', async () => {
      const mine = (await get('?period=30d')).json();
      const names = mine.projects.map((p: { name: string }) => p.name);
      assert.ok(!names.includes('other-site') && !names.includes('gone'), names.join());
      assert.ok(!mine.projects.some((p: { id: string }) => p.id === s.ids.other || p.id === s.ids.gone));

      // other-site: 7 events today, 2 five days ago and 1 nine days ago; a 3-day retention sees today's only.
      const theirs = (await get('', s.otherKey)).json();
      assert.deepEqual(theirs.summary, { total_projects: 1, active_projects: 1, total_events: { current: 7, previous: 0, change: 7, change_pct: null } });
      assert.deepEqual(theirs.projects, [{ id: s.ids.other, name: 'other-site', events: 7, share_pct: 100, last_active_date: s.d(0), previous_events: 0, change_pct: null, daily_events: [0, 0, 0, 0, 0, 0, 7] }]);
      assert.deepEqual(theirs.time_series.map((x: { events: number }) => x.events), [0, 0, 0, 0, 0, 0, 7]);
    });

    test('an account without projects gets zeros, not an error', async () => {
      const key = await s.t.newAccount('pro');
      const body = (await get('?period=1d', key)).json();
      assert.deepEqual(body.summary, { total_projects: 0, active_projects: 0, total_events: { current: 0, previous: 0, change: 0, change_pct: 0 } });
      assert.deepEqual(body.time_series, [{ date: s.d(0), events: 0 }]);
      assert.deepEqual(body.projects, []);
      assert.equal(body.remaining_projects, 0);
    });

    test('bad parameters: 400 MISSING_FIELDS naming the allowed values; no key: 401', async () => {
      for (const q of ['?period=2d', '?period=7', '?period=', '?period=week', '?limit=0', '?limit=51', '?limit=-1', '?limit=2.5', '?limit=abc', '?limit=', '?limit=1e1']) {
        const res = await get(q);
        assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
        assert.equal(res.json().error, 'MISSING_FIELDS', q);
        assert.match(res.json().message, q.startsWith('?period') ? /1d, 7d, 14d, 30d, 90d/ : /1 to 50/, q);
      }
      const anon = await s.t.app.inject({ method: 'GET', url: '/account/all-sites' });
      assert.equal(anon.statusCode, 401);
      assert.equal(anon.json().error, 'AUTH_REQUIRED');
      const byQueryKey = await s.t.app.inject({ method: 'GET', url: `/account/all-sites?key=${s.t.ownerKey}&limit=1` });
      assert.equal(byQueryKey.statusCode, 200);
      assert.equal(byQueryKey.json().projects.length, 1);
      assert.equal(byQueryKey.headers['x-ratelimit-limit'], '-1', 'an API-key read like any other: rate-limit headers (owner: unlimited)');
    });
  });
}

allSitesSuite('duckdb', {});
allSitesSuite('clickhouse', { AA_EVENTS_URL: `chdb::memory:?database=aa_all_sites_${randomBytes(4).toString('hex')}` });

test('/openapi.json documents GET /account/all-sites', async () => {
  const t = await startTestApp();
  try {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const op = res.json().paths['/account/all-sites']?.get;
    assert.ok(op, 'path missing from the OpenAPI document');
    assert.deepEqual(op.parameters.map((p: { name: string }) => p.name).sort(), ['limit', 'period']);
    const props = op.responses['200'].content['application/json'].schema.properties;
    assert.deepEqual(Object.keys(props).sort(), ['period', 'projects', 'remaining_projects', 'scope', 'summary', 'time_series']);
  } finally {
    await t.close();
  }
});
