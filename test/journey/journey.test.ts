// GET / POST /journey on DuckDB through the real app: the hand-worked answers (dataset.ts, which the ClickHouse
// run must equal too), the contract's errors in their check order, limits, windows, retention, tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashKey } from '../../src/accounts/credentials.js';
import { utcDay } from '../../src/query/time.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { baseTime, collectAnswers, expectedAnswers, loadJourneyDataset, rows } from './dataset.js';
import { expectError } from '../helpers/errors.js';

const DAY = 86_400_000;
let t: TestApp;
let t0: number;
let siteId: string;

before(async () => {
  t = await startTestApp();
  t0 = baseTime();
  ({ siteId } = await loadJourneyDataset(t, t.ownerKey, t0));
});
after(async () => t?.close());

const get = (url: string, key: string | null = t.ownerKey) => t.app.inject({ url, headers: key ? { 'x-api-key': key } : {} });
const post = (payload: unknown, key = t.ownerKey) => t.app.inject({ method: 'POST', url: '/journey', headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

test('duckdb: the hand-worked journeys (identity map, window, limit, other users, POST)', async () => {
  assert.deepEqual(await collectAnswers(t, t.ownerKey, t0), expectedAnswers(t0));
});

test('a journey row is a whole §1.6 event row, oldest first with ingestion order on equal timestamps', async () => {
  const res = await get('/journey?project=journey-site&user_id=user_42');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  const e = body.events[0];
  assert.deepEqual(Object.keys(e).sort(), ['country', 'date', 'event', 'id', 'project_id', 'properties', 'session_id', 'timestamp', 'user_id']);
  assert.equal(e.project_id, siteId);
  assert.match(e.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  const stamps = body.events.map((x: { timestamp: number }) => x.timestamp);
  assert.deepEqual(stamps, [...stamps].sort((a, b) => a - b));
  const [click, scroll] = body.events.filter((x: { timestamp: number }) => x.timestamp === t0 + 120_000);
  assert.equal(click.event, 'click_cta');
  assert.equal(scroll.event, '$scroll_depth');
  assert.ok(click.id < scroll.id, 'ties keep ingestion order (ULIDs ascending)');
  // The same rows /events returns for that user, in the opposite order.
  const log = (await get('/events?project=journey-site&user_id=user_42&since=30d')).json();
  assert.deepEqual(log.events.slice().reverse(), body.events);
});

test('limit: /events rules (0 or garbage → 100, negative → 1, above 1000 → 1000)', async () => {
  const count = async (limit: string) => (await get(`/journey?project=journey-site&user_id=user_42&limit=${limit}`)).json();
  assert.equal((await count('0')).count, 9);
  assert.equal((await count('abc')).count, 9);
  const one = await count('-5');
  assert.equal(one.count, 1);
  assert.equal(one.truncated, true);
  assert.equal((await count('5000')).count, 9);
  assert.equal((await post({ project: 'journey-site', user_id: 'user_42', limit: '4' })).json().count, 4);
});

test('since: Nd, ISO dates, and garbage falls back to 30 days (not an error)', async () => {
  const period = async (since: string) => (await get(`/journey?project=journey-site&user_id=user_42&since=${since}`)).json().period.from;
  assert.equal(await period('0d'), utcDay(Date.now()));
  assert.equal(await period(utcDay(t0)), utcDay(t0));
  assert.equal(await period(`${utcDay(t0)}T23:59:00Z`), utcDay(t0));
  assert.equal(await period('yesterday'), utcDay(Date.now() - 30 * DAY));
  assert.equal((await get('/journey?project=journey-site&user_id=user_42')).json().period.from, utcDay(Date.now() - 30 * DAY));
});

test('errors in the contract\'s order: 401, PROJECT_REQUIRED, email, user_id, then the project lookup', async () => {
  expectError(await get('/journey?project=journey-site&user_id=user_42', null), 401, 'AUTH_REQUIRED');
  expectError(await get('/journey?project=journey-site&user_id=user_42', `aak_${'f'.repeat(48)}`), 401, 'AUTH_REQUIRED');
  expectError(await get('/journey?user_id=user_42'), 400, 'PROJECT_REQUIRED');
  expectError(await get('/journey?project=&user_id=user_42'), 400, 'PROJECT_REQUIRED');
  expectError(await get('/journey?project=journey-site&email=a@example.com'), 400, 'EMAIL_LOOKUP_UNSUPPORTED', /stores no email addresses.*pass user_id/);
  expectError(await post({ project: 'journey-site', user_id: 'user_42', email: 'a@example.com', since: '30d', limit: 100 }), 400, 'EMAIL_LOOKUP_UNSUPPORTED');
  expectError(await get('/journey?project=nope&email=a@example.com'), 400, 'EMAIL_LOOKUP_UNSUPPORTED');
  expectError(await get('/journey?project=journey-site'), 400, 'MISSING_FIELDS', /user_id is required/);
  expectError(await get('/journey?project=journey-site&user_id='), 400, 'MISSING_FIELDS');
  expectError(await get(`/journey?project=journey-site&user_id=${'x'.repeat(257)}`), 400, 'MISSING_FIELDS', /longer than 256/);
  assert.equal((await get(`/journey?project=journey-site&user_id=${'é'.repeat(256)}`)).statusCode, 200, '256 characters are fine');
  expectError(await get('/journey?project=nope&user_id=user_42'), 404, 'NOT_FOUND', /project "nope" not found/);
  expectError(await post({ project: 'journey-site', user_id: 42 }), 400, 'INVALID_BODY', /user_id must be a string/);
  expectError(await post({ project: 'journey-site' }), 400, 'MISSING_FIELDS');
  expectError(await post({ user_id: 'user_42' }), 400, 'PROJECT_REQUIRED');
  expectError(await post([1, 2]), 400, 'INVALID_BODY');
  expectError(await post('text'), 400, 'INVALID_BODY');
  expectError(await t.app.inject({ method: 'POST', url: '/journey', headers: { 'x-api-key': t.ownerKey, 'content-type': 'application/json' }, payload: '{"project":' }), 400, 'INVALID_BODY');
});

test('the project may be named by its id', async () => {
  const byId = await get(`/journey?project=${siteId}&user_id=user_7`);
  assert.equal(byId.statusCode, 200, byId.body);
  assert.equal(byId.json().project, 'journey-site');
});

test('project_context is echoed while the project has one', async () => {
  const put = await t.app.inject({ method: 'PUT', url: '/project-context', headers: { 'x-api-key': t.ownerKey }, payload: { project: 'journey-other', goals: ['Know each user'] } });
  assert.equal(put.statusCode, 200, put.body);
  const res = (await get('/journey?project=journey-other&user_id=user_42')).json();
  assert.deepEqual(res.project_context.goals, ['Know each user']);
  assert.equal(rows(res.events, t0).length, 1, 'the other project has its own user_42 event only');
  assert.equal((await get('/journey?project=journey-site&user_id=user_42')).json().project_context, undefined);
});

describe('tenant isolation and retention', () => {
  let other: string;
  before(async () => {
    other = await t.newAccount('pro');
    // Account B: its own journey-site with its own user_42, and a 5-day retention.
    const account = await t.stores.meta.accountByKeyHash(hashKey(other));
    await t.stores.meta.updateAccount(account!.id, { limits_override: { retention_days: 5 } });
    const p = await t.newProject(other, 'journey-site');
    for (const [event, at] of [['page_view', t0 - 8 * DAY], ['b_only', t0]] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/track', payload: { token: p.project_token, event, user_id: 'user_42', session_id: 'sb', timestamp: at } });
      assert.equal(res.statusCode, 202, res.body);
    }
  });

  test('account B sees only its own project and events under the same names', async () => {
    const res = (await get('/journey?project=journey-site&user_id=user_42', other)).json();
    assert.deepEqual(res.events.map((e: { event: string }) => e.event), ['b_only'], 'the event older than B\'s 5-day retention is not returned');
    assert.equal(res.period.from, utcDay(Date.now() - 5 * DAY));
    assert.equal(res.profiles[0].event_count, 1);
    expectError(await get(`/journey?project=${siteId}&user_id=user_42`, other), 404, 'NOT_FOUND');
    expectError(await get('/journey?project=journey-other&user_id=user_42', other), 404, 'NOT_FOUND');
    // And A still sees its own nine events.
    assert.equal((await get('/journey?project=journey-site&user_id=user_42')).json().count, 9);
  });
});
