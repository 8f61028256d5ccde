// Analytics endpoints over HTTP: defaults, `since` parsing, limit/sample clamping, response shapes, flags.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { EventSpec } from '../helpers/events.js';
import { DAY, daysAgo, get, post, seed, utcDate } from './analytics-helpers.js';

describe('analytics parameters', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const busy = await t.newProject(t.ownerKey, 'busy');
    // 120 one-event sessions over 25 paths in the last two days, plus one event 10 days ago.
    const specs: EventSpec[] = Array.from({ length: 120 }, (_, i) => ({
      ts: daysAgo(i % 2) - i * 1000, event: 'page_view', user: `u${i}`, session: `s${i}`, props: { path: `/p${String(i % 25).padStart(2, '0')}` },
    }));
    specs.push({ ts: daysAgo(10), event: 'old', user: 'old', session: 'old', props: { path: '/old' } });
    await seed(t, busy.id, specs);
    const anon = await t.newProject(t.ownerKey, 'anon');
    await seed(t, anon.id, [{ ts: daysAgo(1), event: 'page_view', user: null, session: 'a1', props: { path: '/' } }]);
  });
  after(() => t.close());

  const json = async (url: string) => {
    const r = await get(t, url);
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    return r.json();
  };

  test('since: Nd, 0d = today, ISO date and date-time, garbage falls back to 7 days', async () => {
    const today = utcDate(Date.now());
    assert.equal((await json('/stats?project=busy')).period.from, utcDate(Date.now() - 7 * DAY));
    assert.equal((await json('/stats?project=busy&since=0d')).period.from, today);
    assert.equal((await json('/stats?project=busy&since=30d')).totals.total_events, 121);
    assert.equal((await json('/stats?project=busy&since=7d')).totals.total_events, 120);
    assert.equal((await json('/stats?project=busy&since=2020-01-01')).period.from, '2020-01-01');
    assert.equal((await json('/stats?project=busy&since=2020-01-01T23:30:00-02:00')).period.from, '2020-01-02');
    for (const garbage of ['yesterday', '7', '-3d', '2020-13-01', '']) {
      assert.equal((await json(`/stats?project=busy&since=${garbage}`)).period.from, utcDate(Date.now() - 7 * DAY), garbage);
    }
    assert.equal((await json('/properties/received?project=busy&since=nonsense')).since, utcDate(Date.now() - 7 * DAY));
  });

  test('sessions limit: default 100, 0 and garbage → 100, negative → 1, above 1000 → 1000', async () => {
    const n = async (q: string) => (await json(`/sessions?project=busy${q}`)).sessions.length;
    assert.equal(await n(''), 100);
    assert.equal(await n('&limit=0'), 100);
    assert.equal(await n('&limit=abc'), 100);
    assert.equal(await n('&limit=-5'), 1);
    assert.equal(await n('&limit=7'), 7);
    assert.equal(await n('&limit=5000'), 120);
    assert.equal(await n('&since=30d&limit=5000'), 121);
  });

  test('events and sessions (beyond the contract): until bounds the window, next_cursor pages, bad values are 400', async () => {
    const page = await json('/events?project=busy&limit=50');
    assert.equal(page.events.length, 50);
    assert.equal(typeof page.next_cursor, 'string');
    const rest = await json(`/events?project=busy&limit=1000&cursor=${page.next_cursor}`);
    assert.equal(rest.events.length, 70);
    assert.equal(rest.next_cursor, undefined);
    assert.equal(new Set([...page.events, ...rest.events].map((e: { id: string }) => e.id)).size, 120);
    const cut = page.events[9].timestamp;
    assert.ok((await json(`/events?project=busy&limit=1000&until=${cut}`)).events.every((e: { timestamp: number }) => e.timestamp < cut));
    assert.equal((await json(`/events?project=busy&limit=1000&until=${new Date(cut).toISOString()}`)).events.length, 110);
    assert.equal((await json('/sessions?project=busy&until=0d')).sessions.every((s: { start_time: number }) => s.start_time < Date.now()), true);
    const sessions = await json('/sessions?project=busy&limit=100');
    assert.equal((await json(`/sessions?project=busy&cursor=${sessions.next_cursor}`)).sessions.length, 20);
    for (const [url, pattern] of [
      ['/events?project=busy&until=soon', /until must be epoch milliseconds/],
      ['/sessions?project=busy&until=2020-01-01', /before the window start .* \(the default since=7d\)/],
      ['/events?project=busy&cursor=abc', /cursor must be a next_cursor value/],
    ] as const) {
      const r = await get(t, url);
      assert.equal(r.statusCode, 400, url);
      assert.equal(r.json().error, 'MISSING_FIELDS');
      assert.match(r.json().message, pattern);
    }
    assert.equal((await get(t, '/events?project=nope&until=soon')).statusCode, 404, 'the project lookup comes first (§1.3)');
  });

  test('breakdown and pages: limit default 20; query limit clamps to 1000 and 0 means the default', async () => {
    assert.equal((await json('/breakdown?project=busy&property=path')).values.length, 20);
    assert.equal((await json('/breakdown?project=busy&property=path&limit=1000')).values.length, 25);
    assert.equal((await json('/breakdown?project=busy&property=path&limit=-1')).values.length, 1);
    assert.equal((await json('/pages?project=busy')).entry_pages.length, 20);
    assert.equal((await json('/pages?project=busy&limit=3&type=both')).exit_pages.length, 3);
    const rows = async (limit: unknown) => (await post(t, '/query', { project: 'busy', group_by: ['user_id'], limit })).json().count;
    assert.equal(await rows(undefined), 100);
    assert.equal(await rows(0), 100);
    assert.equal(await rows(5), 5);
    assert.equal(await rows(5000), 120);
    assert.equal(await rows(-3), 1);
  });

  test('properties/received: sample is clamped to 100…10000 and echoed', async () => {
    assert.equal((await json('/properties/received?project=busy')).sample_size, 5000);
    assert.equal((await json('/properties/received?project=busy&sample=5')).sample_size, 100);
    assert.equal((await json('/properties/received?project=busy&sample=99999')).sample_size, 10000);
    assert.equal((await json('/properties/received?project=busy&sample=x')).sample_size, 5000);
    assert.deepEqual((await json('/properties/received?project=busy')).properties, [{ key: 'path', event: 'page_view' }]);
  });

  test('shapes: stats keys, pages only the requested lists, insights windows, retention defaults', async () => {
    const stats = await json('/stats?project=busy&groupBy=fortnight');
    assert.deepEqual(Object.keys(stats), ['project', 'period', 'totals', 'timeSeries', 'events', 'sessions']);
    assert.equal(stats.period.groupBy, 'day');
    assert.deepEqual(Object.keys(await json('/pages?project=busy&type=exit')), ['project', 'exit_pages']);
    assert.deepEqual(Object.keys(await json('/pages?project=busy&type=both')), ['project', 'entry_pages', 'exit_pages']);
    const insights = await json('/insights?project=busy&period=14d');
    assert.deepEqual(insights.current_period, { from: utcDate(Date.now() - 13 * DAY), to: utcDate(Date.now()) });
    assert.deepEqual(insights.previous_period, { from: utcDate(Date.now() - 27 * DAY), to: utcDate(Date.now() - 14 * DAY) });
    const retention = await json('/retention?project=busy');
    assert.equal(retention.period, 'week');
    assert.equal(retention.users_analyzed, 121);
    const funnel = (await post(t, '/funnel', { project: 'busy', steps: [{ event: 'page_view' }, { event: 'old' }] })).json();
    assert.deepEqual(funnel.steps.map((s: { users: number }) => s.users), [120, 0]);
    assert.equal(funnel.breakdowns, undefined);
  });

  test('flags: stale heatmap, anonymous-only tracking; none when the data is fine', async () => {
    const empty = await json('/heatmap?project=busy&since=2099-01-01');
    assert.deepEqual(empty.flags.map((f: { code: string }) => f.code), ['stale_heatmap']);
    assert.equal((await json('/heatmap?project=busy')).flags, undefined);
    assert.deepEqual((await json('/stats?project=anon')).flags.map((f: { code: string }) => f.code), ['anonymous_only_tracking']);
    assert.equal((await json('/stats?project=busy')).flags, undefined);
  });
});
