// POST /paths on the embedded stores (DuckDB + SQLite): hand-built sessions sent through POST /track, trees
// worked out by hand (dataset.ts), every body-field error, tenant isolation and the retention clamp.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  baseTime, CAP_EVENTS, CAP_STATEMENTS, capStatements, CAPPED_ENTRY_PATHS, DEFAULT_ENTRY_PATHS, PATHS_EVENTS, SHORT_ENTRY_PATHS, trackAll, trackBatches, UNCAPPED_ENTRY_PATHS,
} from './dataset.js';

const DAY = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let t: TestApp;
let siteId: string;
let capId: string;
before(async () => {
  // Free accounts keep 1 day (retention test) and are not rate limited in this file.
  t = await startTestApp({ AA_TIER_FREE_RETENTION_DAYS: '1', AA_TIER_FREE_RATE_LIMIT_RPM: '100000' });
  const site = await t.newProject(t.ownerKey, 'paths-site');
  siteId = site.id;
  const t0 = baseTime();
  await trackAll(t, site.project_token, PATHS_EVENTS, t0);
  const cap = await t.newProject(t.ownerKey, 'cap-site');
  await trackBatches(t, cap.project_token, CAP_EVENTS, t0);
  capId = cap.id;
  // Another project of the same account: its session on / must not leak into paths-site.
  const other = await t.newProject(t.ownerKey, 'other-site');
  await trackAll(t, other.project_token, [{ session: 'x1', event: 'page_view', path: '/', at: 0 }, { session: 'x1', event: 'signup', path: '/', at: 1000 }], t0);
});
after(async () => { await t?.close(); });

const paths = (body: unknown, key: string | null = t.ownerKey) => t.app.inject({
  method: 'POST', url: '/paths', headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

test('default request: goal, drop-off, truncation, passive and repeated events, exit pages — as worked out by hand', async () => {
  const res = await paths({ project: 'paths-site', goal_event: 'signup' });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(res.headers['x-ratelimit-limit'], 'rate-limit headers like every API-key read');
  const now = Date.now();
  assert.deepEqual(res.json(), {
    project: 'paths-site', goal_event: 'signup',
    period: { from: utcDate(now - 30 * DAY), to: utcDate(now) },
    bounds: { max_steps: 5, entry_limit: 10, path_limit: 5, candidate_session_cap: 5000 },
    entry_paths: DEFAULT_ENTRY_PATHS,
  });
});

test('max_steps, path_limit and entry_limit cut the trees; the project id is accepted as well as the name', async () => {
  const res = await paths({ project: siteId, goal_event: 'signup', max_steps: 2, path_limit: 2, entry_limit: 2, since: '7d' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.bounds, { max_steps: 2, entry_limit: 2, path_limit: 2, candidate_session_cap: 5000 });
  assert.equal(body.period.from, utcDate(Date.now() - 7 * DAY));
  assert.deepEqual(body.entry_paths, SHORT_ENTRY_PATHS);
  const one = (await paths({ project: 'paths-site', goal_event: 'signup', entry_limit: 1 })).json();
  assert.deepEqual(one.entry_paths, [DEFAULT_ENTRY_PATHS[0]]);
});

test('a goal that is a passive event still ends the path; an unknown goal converts nobody', async () => {
  const scroll = (await paths({ project: 'paths-site', goal_event: '$scroll_depth', entry_limit: 1, max_steps: 1 })).json();
  // s1 sends $scroll_depth right after landing: a goal at step 1. s2 s3 s4 go on after /pricing (truncated);
  // for s6 signup is now an ordinary event, then the session ends; s5 drops off.
  const top = scroll.entry_paths[0];
  assert.deepEqual([top.sessions, top.conversions, top.conversion_rate], [6, 1, 0.167]);
  assert.deepEqual(top.tree.map((n: { type: string; value: string; sessions: number; conversions: number }) => [n.type, n.value, n.sessions, n.conversions]),
    [['page', '/pricing', 3, 0], ['goal', '$scroll_depth', 1, 1], ['drop_off', '/', 1, 0], ['event', 'signup', 1, 0]]);
  assert.deepEqual(top.tree[0].children.map((n: { type: string; value: string; sessions: number }) => [n.type, n.value, n.sessions]),
    [['truncated', '/signup', 2], ['truncated', '/docs', 1]]);
  const none = (await paths({ project: 'paths-site', goal_event: 'never_sent' })).json();
  assert.deepEqual(none.entry_paths.map((e: { entry_page: string; sessions: number; conversions: number }) => [e.entry_page, e.sessions, e.conversions]),
    [['/', 6, 0], ['/pricing', 2, 0], ['/blog', 1, 0]]);
});

test('candidate_session_cap keeps the most recent sessions; the per-session read cap ends a long repeat as truncated', async () => {
  const capped = (await paths({ project: 'cap-site', goal_event: 'signup', candidate_session_cap: 100 })).json();
  assert.deepEqual(capped.entry_paths, CAPPED_ENTRY_PATHS);
  const all = (await paths({ project: 'cap-site', goal_event: 'signup' })).json();
  assert.deepEqual(all.entry_paths, UNCAPPED_ENTRY_PATHS);
});

test('the event statement reads exactly the candidate sessions, none past the cap', async () => {
  assert.deepEqual(await capStatements(t, capId), CAP_STATEMENTS);
});

test('since 1d excludes sessions from two days ago: empty entry_paths', async () => {
  const res = await paths({ project: 'paths-site', goal_event: 'signup', since: '1d' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().entry_paths, []);
  assert.equal(res.json().period.from, utcDate(Date.now() - DAY));
});

test('every body field is validated: 400 with the contract code, no clamping', async () => {
  const base = { project: 'paths-site', goal_event: 'signup' };
  const cases: [unknown, number, string][] = [
    [{ goal_event: 'signup' }, 400, 'PROJECT_REQUIRED'],
    [{ project: '', goal_event: 'signup' }, 400, 'PROJECT_REQUIRED'],
    [{ project: 'paths-site' }, 400, 'MISSING_FIELDS'],
    [{ project: 'no-such-site' }, 400, 'MISSING_FIELDS'], // a missing required field comes before the lookup (§1.3)
    [{ project: 'no-such-site', goal_event: 'signup' }, 404, 'NOT_FOUND'],
    [{ ...base, goal_event: '' }, 400, 'MISSING_FIELDS'],
    [{ ...base, goal_event: '   ' }, 400, 'MISSING_FIELDS'],
    [{ ...base, goal_event: 42 }, 400, 'MISSING_FIELDS'],
    [{ ...base, goal_event: 'x'.repeat(257) }, 400, 'MISSING_FIELDS'],
    [{ ...base, since: '2d' }, 400, 'MISSING_FIELDS'],
    [{ ...base, since: '365d' }, 400, 'MISSING_FIELDS'],
    [{ ...base, since: '2026-01-01' }, 400, 'MISSING_FIELDS'],
    [{ ...base, since: 7 }, 400, 'MISSING_FIELDS'],
    [{ ...base, max_steps: 0 }, 400, 'MISSING_FIELDS'],
    [{ ...base, max_steps: 6 }, 400, 'MISSING_FIELDS'],
    [{ ...base, max_steps: 2.5 }, 400, 'MISSING_FIELDS'],
    [{ ...base, max_steps: '3' }, 400, 'MISSING_FIELDS'],
    [{ ...base, entry_limit: 0 }, 400, 'MISSING_FIELDS'],
    [{ ...base, entry_limit: 21 }, 400, 'MISSING_FIELDS'],
    [{ ...base, path_limit: 0 }, 400, 'MISSING_FIELDS'],
    [{ ...base, path_limit: 11 }, 400, 'MISSING_FIELDS'],
    [{ ...base, candidate_session_cap: 99 }, 400, 'MISSING_FIELDS'],
    [{ ...base, candidate_session_cap: 10_001 }, 400, 'MISSING_FIELDS'],
    [{ ...base, candidate_session_cap: -5 }, 400, 'MISSING_FIELDS'],
    ['{"project":', 400, 'INVALID_BODY'],
    [[base], 400, 'PROJECT_REQUIRED'],
  ];
  for (const [body, status, code] of cases) {
    const res = await paths(body);
    assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
    assert.equal(res.json().error, code, JSON.stringify(body));
    assert.equal(typeof res.json().message, 'string');
  }
  const tooLong = await paths({ ...base, max_steps: 6 });
  assert.match(tooLong.json().message, /max_steps must be an integer from 1 to 5/);
  // Every bound itself is accepted.
  for (const ok of [
    { since: '1d' }, { since: '7d' }, { since: '14d' }, { since: '30d' }, { since: '90d' }, { max_steps: 1 }, { max_steps: 5 }, { entry_limit: 1 },
    { entry_limit: 20 }, { path_limit: 1 }, { path_limit: 10 }, { candidate_session_cap: 100 }, { candidate_session_cap: 10_000 },
    { goal_event: 'x'.repeat(256) }, { since: null, max_steps: null },
  ]) {
    const res = await paths({ ...base, ...ok });
    assert.equal(res.statusCode, 200, `${JSON.stringify(ok)} → ${res.body}`);
  }
  const noKey = await paths(base, null);
  assert.equal(noKey.statusCode, 401);
  assert.equal(noKey.json().error, 'AUTH_REQUIRED');
});

test('tenant isolation: another account never sees these sessions, by name or by id', async () => {
  const otherKey = await t.newAccount('pro');
  for (const project of ['paths-site', siteId]) {
    const res = await paths({ project, goal_event: 'signup' }, otherKey);
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error, 'NOT_FOUND');
  }
  // Its own project of the same name answers with its own single session only.
  const own = await t.newProject(otherKey, 'paths-site');
  const t0 = baseTime();
  await trackAll(t, own.project_token, [{ session: 'z1', event: 'page_view', path: '/', at: 0 }, { session: 'z1', event: 'signup', path: '/', at: 1000 }], t0);
  const res = await paths({ project: 'paths-site', goal_event: 'signup' }, otherKey);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().entry_paths, [{
    entry_page: '/', sessions: 1, conversions: 1, conversion_rate: 1,
    exit_pages: [{ exit_page: '/', sessions: 1, conversions: 1, conversion_rate: 1, drop_offs: 0, drop_off_rate: 0 }],
    tree: [{ type: 'goal', value: 'signup', sessions: 1, conversions: 1, conversion_rate: 1, children: [] }],
  }]);
});

test('retention: a 1-day account reads from max(since, today − 1)', async () => {
  const freeKey = await t.newAccount('free');
  const p = await t.newProject(freeKey, 'short-memory');
  const now = Date.now();
  await trackAll(t, p.project_token, [
    { session: 'old', event: 'page_view', path: '/old', at: 0 },
    { session: 'new', event: 'page_view', path: '/new', at: 3 * DAY - 60_000 },
  ], now - 3 * DAY);
  const res = await paths({ project: 'short-memory', goal_event: 'signup', since: '7d' }, freeKey);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.period.from, utcDate(now - DAY));
  assert.deepEqual(body.entry_paths.map((e: { entry_page: string }) => e.entry_page), ['/new']);
});

test('OpenAPI documents POST /paths', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const op = doc.paths['/paths']?.post;
  assert.ok(op, 'POST /paths in /openapi.json');
  assert.ok(op.requestBody.content['application/json'].schema.properties.goal_event);
  assert.ok(op.responses['200'].content['application/json'].schema.properties.entry_paths);
});
