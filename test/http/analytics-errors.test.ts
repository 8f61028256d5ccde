// Analytics endpoints over HTTP: authentication, project scope and every error code of E3, E5–E15.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { daysAgo, get, post, seed } from './analytics-helpers.js';

const GETS = ['/stats', '/properties', '/properties/received', '/sessions', '/sessions/distribution', '/breakdown?property=path', '/insights', '/pages', '/heatmap', '/retention'];
const POSTS: [string, Record<string, unknown>][] = [['/query', {}], ['/funnel', { steps: [{ event: 'a' }, { event: 'b' }] }]];
const withProject = (url: string, project: string) => `${url}${url.includes('?') ? '&' : '?'}project=${encodeURIComponent(project)}`;

describe('analytics errors', () => {
  let t: TestApp;
  let otherKey: string;
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'site');
    otherKey = await t.newAccount('pro');
    await t.newProject(otherKey, 'theirs');
    await seed(t, p.id, [{ ts: daysAgo(1), event: 'page_view', user: 'u1', session: 's1', props: { path: '/' } }]);
  });
  after(() => t.close());

  test('401 AUTH_REQUIRED without or with a wrong key, on every endpoint', async () => {
    for (const url of GETS) {
      for (const key of [null, `aak_${'f'.repeat(48)}`]) {
        const r = await get(t, withProject(url, 'site'), key);
        assert.equal(r.statusCode, 401, url);
        assert.equal(r.json().error, 'AUTH_REQUIRED');
      }
    }
    for (const [url, body] of POSTS) assert.equal((await post(t, url, { project: 'site', ...body }, null)).statusCode, 401);
  });

  test('400 PROJECT_REQUIRED, 404 unknown project, 404 for another account\'s project name', async () => {
    for (const url of GETS) {
      const missing = await get(t, url);
      assert.equal(missing.statusCode, 400, url);
      assert.equal(missing.json().error, 'PROJECT_REQUIRED', url);
      for (const name of ['nope', 'theirs']) {
        const r = await get(t, withProject(url, name));
        assert.equal(r.statusCode, 404, `${url} ${name}`);
        assert.equal(r.json().error, 'NOT_FOUND');
      }
    }
    for (const [url, body] of POSTS) {
      assert.equal((await post(t, url, body)).json().error, 'PROJECT_REQUIRED', url);
      assert.equal((await post(t, url, { ...body, project: 'theirs' })).statusCode, 404, url);
      assert.equal((await post(t, url, '[1,2]')).json().error, 'PROJECT_REQUIRED', url);
      const bad = await post(t, url, '{"project":');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error, 'INVALID_BODY');
    }
  });

  test('breakdown: MISSING_FIELDS without property (after PROJECT_REQUIRED), INVALID_PROPERTY_KEY', async () => {
    assert.equal((await get(t, '/breakdown')).json().error, 'PROJECT_REQUIRED');
    const missing = await get(t, '/breakdown?project=site');
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error, 'MISSING_FIELDS');
    assert.equal((await get(t, '/breakdown?project=nope')).json().error, 'MISSING_FIELDS');
    for (const bad of ['a.b', "path'--", 'x'.repeat(129), 'pa th', '$.path', 'päth']) {
      const r = await get(t, `/breakdown?project=site&property=${encodeURIComponent(bad)}`);
      assert.equal(r.statusCode, 400, bad);
      assert.equal(r.json().error, 'INVALID_PROPERTY_KEY', bad);
    }
    assert.equal((await get(t, `/breakdown?project=site&property=${'x'.repeat(128)}`)).statusCode, 200);
  });

  test('insights period, pages type, retention period and cohorts: MISSING_FIELDS naming the allowed values', async () => {
    const cases: [string, RegExp][] = [
      ['/insights?project=site&period=2d', /1d, 7d, 14d, 30d, 90d/],
      ['/pages?project=site&type=middle', /entry, exit, both/],
      ['/retention?project=site&period=year', /day, week, month/],
      ['/retention?project=site&cohorts=0', /1 to 12/],
      ['/retention?project=site&cohorts=13', /1 to 12/],
      ['/retention?project=site&period=month&cohorts=13', /1 to 12/],
      ['/retention?project=site&period=day&cohorts=31', /1 to 30/],
      ['/retention?project=site&cohorts=-1', /1 to 12/],
    ];
    for (const [url, message] of cases) {
      const r = await get(t, url);
      assert.equal(r.statusCode, 400, url);
      assert.equal(r.json().error, 'MISSING_FIELDS', url);
      assert.match(r.json().message, message, url);
    }
    assert.equal((await get(t, '/retention?project=site&period=day&cohorts=30')).statusCode, 200);
    assert.equal((await get(t, '/retention?project=site&cohorts=abc')).statusCode, 200);
  });

  test('query: INVALID_METRIC, INVALID_GROUP_BY, INVALID_BODY, INVALID_FILTER_OP, INVALID_PROPERTY_KEY, INVALID_COUNT_MODE', async () => {
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [{ metrics: ['event_count', 'revenue'] }, 'INVALID_METRIC', /event_count, unique_users, session_count, bounce_rate, avg_duration/],
      [{ metrics: [42] }, 'INVALID_METRIC'],
      [{ metrics: 'event_count' }, 'INVALID_BODY'],
      [{ group_by: ['properties.plan'] }, 'INVALID_GROUP_BY', /breakdown/],
      [{ group_by: ['hour'] }, 'INVALID_GROUP_BY', /event, date, user_id, session_id, country/],
      [{ filters: { field: 'event' } }, 'INVALID_BODY'],
      [{ filters: [{ field: 'event', op: 'eq', value: 'x' }, { field: 'event', op: 'eq' }] }, 'INVALID_FILTER_FIELD', /filters\[1\].*field, op and value/],
      [{ filters: [{ op: 'eq', value: 'x' }] }, 'INVALID_FILTER_FIELD', /filters\[0\]/],
      [{ filters: [null] }, 'INVALID_FILTER_FIELD'],
      [{ filters: [{ field: 'event', op: 'like', value: 'x' }] }, 'INVALID_FILTER_OP', /eq, neq, gt, lt, gte, lte, contains/],
      [{ filters: [{ field: 'properties.a-b', op: 'eq', value: 'x' }] }, 'INVALID_PROPERTY_KEY'],
      [{ filters: [{ field: 'properties.', op: 'eq', value: 'x' }] }, 'INVALID_PROPERTY_KEY'],
      [{ filters: [{ field: 'timestamp', op: 'gt', value: 'yesterday' }] }, 'INVALID_BODY', /timestamp/],
      [{ filters: [{ field: 'timestamp', op: 'gt', value: true }] }, 'INVALID_BODY'],
      [{ filters: [{ field: 'date', op: 'eq', value: '2026-02-31' }] }, 'INVALID_BODY', /date/],
      [{ filters: [{ field: 'event', op: 'eq', value: { $ne: 1 } }] }, 'INVALID_BODY'],
      [{ count_mode: 'unique' }, 'INVALID_COUNT_MODE', /raw, session_then_user/],
    ];
    for (const [body, code, message] of cases) {
      const r = await post(t, '/query', { project: 'site', ...body });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(r.json().error, code, JSON.stringify(body));
      if (message) assert.match(r.json().message, message, JSON.stringify(body));
    }
  });

  test('query: an unknown filter field answers the guidance body', async () => {
    const r = await post(t, '/query', { project: 'site', filters: [{ field: 'referrer', op: 'eq', value: 'x' }] });
    assert.equal(r.statusCode, 400);
    const body = r.json();
    assert.equal(body.error, 'INVALID_FILTER_FIELD');
    assert.equal(body.message, "unknown filter field 'referrer' — use a built-in field (event, user_id, date, country, session_id, timestamp) or properties.<key>, e.g. properties.referrer");
    assert.equal(body.suggested_field, 'properties.referrer');
    assert.deepEqual(body.available_properties.property_keys, ['path']);
    assert.equal(body.available_properties.events[0].event, 'page_view');
    assert.deepEqual(Object.keys(body.available_properties.events[0]).sort(), ['count', 'event', 'first_seen', 'last_seen', 'unique_users']);
    const odd = await post(t, '/query', { project: 'site', filters: [{ field: "x'; --", op: 'eq', value: 'x' }] });
    assert.equal(odd.json().error, 'INVALID_FILTER_FIELD');
    assert.equal(odd.json().suggested_field, null);
  });

  test('funnel: INVALID_FUNNEL_STEPS, INVALID_PROPERTY_KEY, INVALID_FILTER_OP, MISSING_FIELDS', async () => {
    const two = [{ event: 'a' }, { event: 'b' }];
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'INVALID_FUNNEL_STEPS'],
      [{ steps: 'a,b' }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a' }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: Array.from({ length: 9 }, (_, i) => ({ event: `e${i}` })) }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a' }, { event: '' }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a' }, { name: 'b' }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a' }, { event: 'x'.repeat(257) }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a', filters: 'path=/' }, { event: 'b' }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: [{ event: 'a', filters: [{ property: 'pa.th', op: 'eq', value: '/' }] }, { event: 'b' }] }, 'INVALID_PROPERTY_KEY'],
      [{ steps: [{ event: 'a', filters: [{ op: 'eq', value: '/' }] }, { event: 'b' }] }, 'INVALID_PROPERTY_KEY'],
      [{ steps: [{ event: 'a', filters: [{ property: 'path', op: 'gt', value: '/' }] }, { event: 'b' }] }, 'INVALID_FILTER_OP'],
      [{ steps: [{ event: 'a', filters: [{ property: 'path', op: 'eq', value: ['/'] }] }, { event: 'b' }] }, 'INVALID_FUNNEL_STEPS'],
      [{ steps: two, conversion_window_hours: 0 }, 'MISSING_FIELDS'],
      [{ steps: two, conversion_window_hours: 8761 }, 'MISSING_FIELDS'],
      [{ steps: two, conversion_window_hours: '24' }, 'MISSING_FIELDS'],
      [{ steps: two, count_by: 'device' }, 'MISSING_FIELDS'],
      [{ steps: two, breakdown: 'utm source' }, 'INVALID_PROPERTY_KEY'],
      [{ steps: two, breakdown_limit: 0 }, 'MISSING_FIELDS'],
      [{ steps: two, breakdown_limit: 51 }, 'MISSING_FIELDS'],
      [{ steps: two, breakdown_limit: 2.5 }, 'MISSING_FIELDS'],
    ];
    for (const [body, code] of cases) {
      const r = await post(t, '/funnel', { project: 'site', ...body });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(r.json().error, code, JSON.stringify(body));
    }
    for (const ok of [{ conversion_window_hours: 1 }, { conversion_window_hours: 8760 }, { breakdown_limit: 50, breakdown: 'path' }, { count_by: 'session_id' }]) {
      assert.equal((await post(t, '/funnel', { project: 'site', steps: two, ...ok })).statusCode, 200, JSON.stringify(ok));
    }
  });
});
