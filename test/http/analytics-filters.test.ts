// `filters` on GET /stats, /breakdown and /pages (beyond the contract): POST /query's filters as one
// URL-encoded JSON array — the same answers as /query for the same filters, and clear 400s for bad ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { EventSpec } from '../helpers/events.js';
import { daysAgo, get, post, seed } from './analytics-helpers.js';

const enc = (filters: unknown) => encodeURIComponent(typeof filters === 'string' ? filters : JSON.stringify(filters));

describe('analytics filters on GET reads', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const shop = await t.newProject(t.ownerKey, 'shop');
    // 30 sessions: every third in DE; each views / then /pricing (every other) or /docs.
    const specs: EventSpec[] = [];
    for (let i = 0; i < 30; i++) {
      const country = i % 3 === 0 ? 'DE' : 'US';
      const base = daysAgo(i % 5);
      specs.push({ ts: base, event: 'page_view', user: `u${i % 12}`, session: `s${i}`, country, props: { path: '/', referrer: i % 4 === 0 ? '' : 'https://news.test/' } });
      specs.push({ ts: base + 20_000, event: 'page_view', user: `u${i % 12}`, session: `s${i}`, country, props: { path: i % 2 ? '/pricing' : '/docs' } });
      if (i % 6 === 0) specs.push({ ts: base + 40_000, event: 'signup', user: `u${i % 12}`, session: `s${i}`, country, props: { path: '/pricing', plan: 'pro' } });
    }
    await seed(t, shop.id, specs);
  });
  after(() => t.close());

  const json = async (url: string) => {
    const r = await get(t, url);
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    return r.json();
  };
  const query = async (body: object) => {
    const r = await post(t, '/query', { project: 'shop', date_from: '6d', ...body });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };

  test('stats: totals, series and top events equal POST /query with the same filters; sessions hold a match', async () => {
    const filters = [{ field: 'country', op: 'eq', value: 'DE' }, { field: 'properties.path', op: 'neq', value: '/docs' }];
    const s = await json(`/stats?project=shop&since=6d&filters=${enc(filters)}`);
    const [totals] = (await query({ metrics: ['event_count', 'unique_users'], filters })).rows;
    assert.deepEqual(s.totals, { total_events: totals.event_count, unique_users: totals.unique_users });
    assert.ok(totals.event_count > 0 && totals.event_count < 40);
    const byDate = (await query({ metrics: ['event_count', 'unique_users'], group_by: ['date'], filters, order: 'asc' })).rows;
    assert.deepEqual(s.timeSeries.map((b: any) => [b.bucket, b.total_events, b.unique_users]), byDate.map((r: any) => [r.date, r.event_count, r.unique_users]));
    const byEvent = (await query({ metrics: ['event_count', 'unique_users'], group_by: ['event'], filters })).rows;
    assert.deepEqual(s.events.map((e: any) => [e.event, e.count, e.unique_users]), byEvent.map((r: any) => [r.event, r.event_count, r.unique_users]));
    // Every DE session (10) has a page other than /docs ("/"), so all ten count; unfiltered there are 30.
    assert.equal(s.sessions.total_sessions, 10);
    assert.equal((await json('/stats?project=shop&since=6d')).sessions.total_sessions, 30);
  });

  test('breakdown: values and totals count only matching events, AND-ed with event', async () => {
    const filters = [{ field: 'country', op: 'eq', value: 'DE' }];
    const b = await json(`/breakdown?project=shop&property=path&since=6d&filters=${enc(filters)}`);
    // DE sessions 0 3 … 27: / ×10, /pricing ×5 (odd i) + signups 5 (i % 6 = 0 → all DE), /docs ×5.
    assert.deepEqual(b.values.map((v: any) => [v.value, v.count]), [['/', 10], ['/pricing', 10], ['/docs', 5]]);
    assert.equal(b.total_events, 25);
    const signup = await json(`/breakdown?project=shop&property=plan&event=signup&since=6d&filters=${enc([{ field: 'properties.path', op: 'contains', value: 'PRIC' }])}`);
    assert.deepEqual(signup.values.map((v: any) => [v.value, v.count]), [['pro', 5]]);
    const direct = await json(`/breakdown?project=shop&property=referrer&since=6d&filters=${enc([{ field: 'properties.referrer', op: 'eq', value: '' }])}`);
    assert.deepEqual(direct.values.map((v: any) => [v.value, v.count]), [['', 8]]);
  });

  test('pages: entry and exit pages of the sessions holding a matching event', async () => {
    const filters = [{ field: 'properties.path', op: 'eq', value: '/pricing' }, { field: 'event', op: 'eq', value: 'page_view' }];
    const p = await json(`/pages?project=shop&type=both&since=6d&filters=${enc(filters)}`);
    assert.deepEqual(p.entry_pages.map((x: any) => [x.page, x.sessions]), [['/', 15]]);
    assert.deepEqual(p.exit_pages.map((x: any) => [x.page, x.sessions]), [['/pricing', 15]]);
    const all = await json('/pages?project=shop&type=entry&since=6d');
    assert.deepEqual(all.entry_pages.map((x: any) => [x.page, x.sessions]), [['/', 30]]);
    const none = await json(`/pages?project=shop&type=entry&since=6d&filters=${enc([{ field: 'country', op: 'eq', value: 'ZZ' }])}`);
    assert.deepEqual(none.entry_pages, []);
  });

  test('bad filters: a clear 400 with /query codes, never a 500 or an ignored parameter', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['/stats', 'not json', 'INVALID_BODY', /not JSON.*filters=\[\{"field"/],
      ['/breakdown', '{"field":"country"}', 'INVALID_BODY', /JSON array/],
      ['/pages', '[{"field":"country","op":"eq"}]', 'INVALID_FILTER_FIELD', /filters\[0\].*field, op and value/],
      ['/stats', '[{"field":"country","op":"like","value":"DE"}]', 'INVALID_FILTER_OP', /eq, neq, gt/],
      ['/pages', '[{"field":"properties.a-b","op":"eq","value":"x"}]', 'INVALID_PROPERTY_KEY', /letters, digits or underscores/],
      ['/breakdown', '[{"field":"timestamp","op":"gt","value":"yesterday"}]', 'INVALID_BODY', /epoch milliseconds/],
    ];
    for (const [path, raw, code, message] of cases) {
      const r = await get(t, `${path}?project=shop&property=path&filters=${encodeURIComponent(raw)}`);
      assert.equal(r.statusCode, 400, `${path} ${raw}: ${r.body}`);
      assert.equal(r.json().error, code, `${path} ${raw}: ${r.body}`);
      assert.match(r.json().message, message);
    }
    const twice = await get(t, `/stats?project=shop&filters=${enc([])}&filters=${enc([])}`);
    assert.equal(twice.statusCode, 400);
    assert.match(twice.json().message, /pass filters once/);
    // An unknown field answers /query's guidance body: the likely property and what exists.
    const unknown = await get(t, `/stats?project=shop&since=6d&filters=${enc([{ field: 'path', op: 'eq', value: '/' }])}`);
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error, 'INVALID_FILTER_FIELD');
    assert.equal(unknown.json().suggested_field, 'properties.path');
    assert.ok(unknown.json().available_properties.property_keys.includes('path'));
    // Empty array and empty string mean no filter.
    assert.equal((await json(`/stats?project=shop&since=6d&filters=${enc([])}`)).sessions.total_sessions, 30);
    assert.equal((await json('/stats?project=shop&since=6d&filters=')).sessions.total_sessions, 30);
  });

  test('OpenAPI documents filters on /stats, /breakdown and /pages', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/stats', '/breakdown', '/pages']) {
      const param = doc.paths[path].get.parameters.find((p: any) => p.name === 'filters');
      assert.ok(param, `${path} documents filters`);
      assert.match(param.description ?? param.schema.description, /POST \/query's filters/);
    }
  });
});
