// Hostile input: SQL-injection-shaped (and otherwise odd) values in every string parameter and property
// key of the analytics endpoints → a 4xx or a correct literal match, never a 5xx, never a leak or a change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { daysAgo, get, post, seed } from './analytics-helpers.js';

const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '" OR ""="',
  "x' UNION SELECT id, project_id FROM events --",
  "\\'; DELETE FROM events; --",
  '$1',
  '{p1:String}',
  "%' --",
  '_',
  '%',
  "') OR ('a'='a",
  "properties->>'path'",
  '$.path',
  '\u0000nul',
  'ü🙂\u202e',
  'a'.repeat(2000),
];
const LITERAL = "x' OR '1'='1";
const CODES = new Set(['PROJECT_REQUIRED', 'NOT_FOUND', 'MISSING_FIELDS', 'INVALID_BODY', 'INVALID_METRIC', 'INVALID_GROUP_BY', 'INVALID_FILTER_OP', 'INVALID_FILTER_FIELD', 'INVALID_COUNT_MODE', 'INVALID_PROPERTY_KEY', 'INVALID_FUNNEL_STEPS']);

describe('hostile input on the analytics endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'site');
    await seed(t, p.id, [
      { ts: daysAgo(1), event: 'page_view', user: 'u1', session: 's1', props: { path: '/' } },
      { ts: daysAgo(1) + 1000, event: LITERAL, user: LITERAL, session: LITERAL, props: { path: LITERAL, [`k_${'1'}`]: LITERAL } },
    ]);
  });
  after(() => t.close());

  const check = (what: string, r: { statusCode: number; body: string }) => {
    assert.ok(r.statusCode < 500, `${what}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    if (r.statusCode >= 400) {
      assert.ok(CODES.has(String(body.error)), `${what}: unexpected code ${String(body.error)}`);
      assert.doesNotMatch(String(body.message), /Binder Error|Parser Error|Catalog Error|Conversion Error|Invalid Input Error/, what);
    }
    return body;
  };

  test('every query-string parameter of every GET endpoint', async () => {
    const endpoints: [string, string[]][] = [
      ['/stats', ['since', 'groupBy']],
      ['/properties', ['since']],
      ['/properties/received', ['since', 'sample']],
      ['/sessions', ['since', 'limit', 'user_id', 'is_bounce']],
      ['/sessions/distribution', ['since']],
      ['/breakdown?property=path', ['since', 'event', 'limit', 'property']],
      ['/insights', ['period']],
      ['/pages', ['type', 'since', 'limit']],
      ['/heatmap', ['since']],
      ['/retention', ['period', 'cohorts', 'event', 'returning_event', 'since']],
    ];
    for (const [path, params] of endpoints) {
      for (const value of HOSTILE) {
        for (const param of [...params, 'project']) {
          const sep = path.includes('?') ? '&' : '?';
          const project = param === 'project' ? encodeURIComponent(value) : 'site';
          const url = `${path}${sep}project=${project}${param === 'project' ? '' : `&${param}=${encodeURIComponent(value)}`}`;
          const r = await get(t, url.replace('property=path&property=', 'property='));
          check(`${url}`, r);
        }
      }
    }
  });

  test('literal matches: an injection-shaped event name, user id and property value are plain data', async () => {
    const breakdown = check('breakdown', await get(t, `/breakdown?project=site&property=path&event=${encodeURIComponent(LITERAL)}`));
    assert.deepEqual(breakdown.values, [{ value: LITERAL, count: 1, unique_users: 1 }]);
    const sessions = check('sessions', await get(t, `/sessions?project=site&user_id=${encodeURIComponent(LITERAL)}`));
    assert.deepEqual((sessions.sessions as { session_id: string }[]).map((s) => s.session_id), [LITERAL]);
    const none = check('sessions', await get(t, `/sessions?project=site&user_id=${encodeURIComponent("' OR '1'='1")}`));
    assert.deepEqual(none.sessions, []);
    const q = check('query', await post(t, '/query', { project: 'site', filters: [{ field: 'properties.k_1', op: 'eq', value: LITERAL }] }));
    assert.deepEqual(q.rows, [{ event_count: 1 }]);
    const c = check('query', await post(t, '/query', { project: 'site', filters: [{ field: 'properties.path', op: 'contains', value: "' or '" }] }));
    assert.deepEqual(c.rows, [{ event_count: 1 }]);
  });

  test('every string in POST /query and POST /funnel bodies', async () => {
    for (const value of HOSTILE) {
      const bodies: Record<string, unknown>[] = [
        { metrics: [value] }, { group_by: [value] }, { order_by: value, order: value }, { date_from: value, date_to: value }, { count_mode: value },
        { filters: [{ field: value, op: 'eq', value: 'x' }] },
        { filters: [{ field: `properties.${value}`, op: 'eq', value: 'x' }] },
        { filters: [{ field: 'event', op: value, value: 'x' }] },
        ...['event', 'user_id', 'session_id', 'country', 'date', 'timestamp', 'properties.path'].flatMap((field) =>
          ['eq', 'neq', 'gt', 'contains'].map((op) => ({ filters: [{ field, op, value }] }))),
      ];
      for (const body of bodies) check(`/query ${JSON.stringify(body).slice(0, 120)}`, await post(t, '/query', { project: 'site', ...body }));
      const funnels: Record<string, unknown>[] = [
        { steps: [{ event: value }, { event: value }] },
        { steps: [{ event: 'page_view', filters: [{ property: 'path', op: 'eq', value }] }, { event: value }] },
        { steps: [{ event: 'page_view', filters: [{ property: value, op: 'eq', value: 'x' }] }, { event: 'x' }] },
        { steps: [{ event: 'page_view' }, { event: 'x' }], breakdown: value },
        { steps: [{ event: 'page_view' }, { event: 'x' }], count_by: value },
        { steps: [{ event: 'page_view' }, { event: 'x' }], since: value },
      ];
      for (const body of funnels) check(`/funnel ${JSON.stringify(body).slice(0, 120)}`, await post(t, '/funnel', { project: 'site', ...body }));
    }
  });

  test('afterwards the data is intact', async () => {
    const stats = check('stats', await get(t, '/stats?project=site'));
    assert.deepEqual(stats.totals, { unique_users: 2, total_events: 2 });
  });
});
