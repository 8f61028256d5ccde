// E25–E30 over the real app: every rule and error code of the experiment endpoints, and tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let key: string; // a pro account
let token: string;
const EXPERIMENT_KEYS = ['id', 'project_id', 'account_id', 'name', 'variants', 'goal_event', 'status', 'winner', 'created_at', 'updated_at', 'completed_at'];

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, apiKey = key) =>
  t.app.inject({ method, url, headers: { 'x-api-key': apiKey }, ...(payload === undefined ? {} : { payload: payload as object }) });

const create = (body: Record<string, unknown>, apiKey = key) => req('POST', '/experiments', { project: 'shop', goal_event: 'signup', variants: ['control', 'new_cta'], ...body }, apiKey);

function expectError(res: { statusCode: number; json(): any }, status: number, code: string): { error: string; message: string } {
  const body = res.json();
  assert.equal(res.statusCode, status, JSON.stringify(body));
  assert.equal(body.error, code, JSON.stringify(body));
  assert.equal(typeof body.message, 'string');
  return body;
}

before(async () => {
  t = await startTestApp();
  key = await t.newAccount('pro');
  token = (await t.newProject(key, 'shop')).project_token;
  await t.newProject(key, 'blog', 'https://blog.test');
});
after(() => t.close());

describe('POST /experiments', () => {
  test('201 with the Experiment object, defaults and the given weights', async () => {
    const res = await create({ name: 'cta' });
    assert.equal(res.statusCode, 201);
    const e = res.json();
    assert.deepEqual(Object.keys(e).sort(), [...EXPERIMENT_KEYS].sort());
    assert.match(e.id, /^exp_[a-z0-9]{16}$/);
    assert.match(e.project_id, /^proj_/);
    assert.match(e.account_id, /^acc_/);
    assert.equal(e.name, 'cta');
    assert.deepEqual(e.variants, [{ key: 'control', weight: 50 }, { key: 'new_cta', weight: 50 }]);
    assert.equal(e.goal_event, 'signup');
    assert.equal(e.status, 'active');
    assert.equal(e.winner, null);
    assert.equal(e.completed_at, null);
    assert.equal(e.created_at, e.updated_at);
    assert.ok(Math.abs(Date.parse(e.created_at) - Date.now()) < 5000);
    assert.match(e.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const three = (await create({ name: 'three', variants: ['a', 'b', 'c'] })).json();
    assert.deepEqual(three.variants.map((v: any) => v.weight), [34, 33, 33]);
    const four = (await create({ name: 'four', variants: ['a', 'b', 'c', 'd'] })).json();
    assert.deepEqual(four.variants.map((v: any) => v.weight), [25, 25, 25, 25]);
    const weighted = (await create({ name: 'weighted', variants: ['a', 'b', 'c'], weights: [80, 20, 0] })).json();
    assert.deepEqual(weighted.variants, [{ key: 'a', weight: 80 }, { key: 'b', weight: 20 }, { key: 'c', weight: 0 }]);
    // Experiment names and variant keys may use _ and -; the project may be named by id as well.
    const byId = await create({ name: 'A_b-9', project: e.project_id, variants: ['x-1', 'Y_2'] });
    assert.equal(byId.statusCode, 201);
  });

  test('free accounts get 403 PRO_REQUIRED before any body check', async () => {
    const free = await t.newAccount('free');
    await t.newProject(free, 'freesite');
    expectError(await create({ name: 'x', project: 'freesite' }, free), 403, 'PRO_REQUIRED');
    expectError(await req('POST', '/experiments', {}, free), 403, 'PRO_REQUIRED');
    expectError(await req('POST', '/experiments', { project: 'nope', name: '!!', variants: 'x' }, free), 403, 'PRO_REQUIRED');
    expectError(await req('POST', '/experiments', [1, 2], free), 403, 'PRO_REQUIRED');
    // Reads stay open to free accounts.
    const list = await req('GET', '/experiments?project=freesite', undefined, free);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { experiments: [] });
  });

  test('auth comes first: 401 AUTH_REQUIRED', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/experiments', payload: { project: 'shop', name: 'x' } });
    expectError(res, 401, 'AUTH_REQUIRED');
  });

  test('400 PROJECT_REQUIRED, then MISSING_FIELDS naming the fields (Q15), then 404 for the project', async () => {
    expectError(await req('POST', '/experiments', { name: 'x', variants: ['a', 'b'], goal_event: 'g' }), 400, 'PROJECT_REQUIRED');
    expectError(await req('POST', '/experiments', {}), 400, 'PROJECT_REQUIRED');
    expectError(await req('POST', '/experiments'), 400, 'PROJECT_REQUIRED');
    const m = expectError(await req('POST', '/experiments', { project: 'shop', variants: ['a', 'b'] }), 400, 'MISSING_FIELDS');
    assert.match(m.message, /name/);
    assert.match(m.message, /goal_event/);
    expectError(await create({ name: undefined }), 400, 'MISSING_FIELDS');
    expectError(await create({ name: 'x', goal_event: undefined }), 400, 'MISSING_FIELDS');
    expectError(await create({ name: 'x', variants: undefined }), 400, 'MISSING_FIELDS');
    expectError(await create({ name: 'x', project: 'no-such-project' }), 404, 'NOT_FOUND');
    // Missing fields are reported before the project lookup (§1.3 step 4 before 5).
    expectError(await req('POST', '/experiments', { project: 'no-such-project' }), 400, 'MISSING_FIELDS');
  });

  test('present but invalid name / goal_event → 400 INVALID_BODY (Q15)', async () => {
    for (const name of ['', 'has space', 'dot.name', 'x'.repeat(65), 42, ['a']]) {
      expectError(await create({ name }), 400, 'INVALID_BODY');
    }
    for (const goal_event of ['', 'g'.repeat(257), 7]) {
      expectError(await create({ name: 'okname', goal_event }), 400, 'INVALID_BODY');
    }
    assert.equal((await create({ name: 'long_goal', goal_event: 'g'.repeat(256) })).statusCode, 201);
    expectError(await req('POST', '/experiments', [{ project: 'shop' }]), 400, 'INVALID_BODY');
    const notJson = await t.app.inject({ method: 'POST', url: '/experiments', headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: '{nope' });
    expectError(notJson, 400, 'INVALID_BODY');
  });

  test('bad variants or weights → 400 INVALID_VARIANTS', async () => {
    const bad: Record<string, unknown>[] = [
      { variants: ['only'] },
      { variants: [] },
      { variants: ['a', 'b', 'c', 'd', 'e'] },
      { variants: ['a', 'a'] },
      { variants: ['a', 'b c'] },
      { variants: ['a', ''] },
      { variants: ['a', 'x'.repeat(65)] },
      { variants: 'a,b' },
      { variants: [1, 2] },
      { variants: [{ key: 'a', weight: 50 }, { key: 'b', weight: 50 }] },
      { weights: [50] },
      { weights: [50, 50, 0] },
      { weights: [60, 50] },
      { weights: [40, 50] },
      { weights: [50.5, 49.5] },
      { weights: [-10, 110] },
      { weights: [101, -1] },
      { weights: ['50', '50'] },
      { weights: '50,50' },
    ];
    for (const body of bad) {
      const res = await create({ name: 'badvariants', ...body });
      expectError(res, 400, 'INVALID_VARIANTS');
    }
    assert.equal((await create({ name: 'zero_weight', weights: [100, 0] })).statusCode, 201);
    assert.equal((await create({ name: 'null_weights', weights: null })).statusCode, 201);
  });

  test('409 EXPERIMENT_NAME_EXISTS names the experiment, whatever its status; other projects are separate', async () => {
    const first = (await create({ name: 'dupe' })).json();
    const res = await create({ name: 'dupe', variants: ['x', 'y'] });
    const body = expectError(res, 409, 'EXPERIMENT_NAME_EXISTS');
    assert.match(body.message, /dupe/);
    await req('PATCH', `/experiments/${first.id}`, { status: 'completed' });
    expectError(await create({ name: 'dupe' }), 409, 'EXPERIMENT_NAME_EXISTS');
    // Validation (400) comes before the conflict (409).
    expectError(await create({ name: 'dupe', variants: ['solo'] }), 400, 'INVALID_VARIANTS');
    assert.equal((await create({ name: 'dupe', project: 'blog' })).statusCode, 201);
    // Concurrent creates: exactly one wins, the others get 409, never a 500.
    const racers = await Promise.all([1, 2, 3, 4].map(() => create({ name: 'race' })));
    assert.deepEqual(racers.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
  });
});

describe('GET /experiments', () => {
  test('lists all statuses, newest first, without results; PROJECT_REQUIRED and 404', async () => {
    const p = await t.newProject(key, 'listing');
    const a = (await create({ name: 'first', project: 'listing' })).json();
    await new Promise((r) => setTimeout(r, 5));
    const b = (await create({ name: 'second', project: 'listing' })).json();
    await req('PATCH', `/experiments/${a.id}`, { status: 'paused' });
    const res = await req('GET', '/experiments?project=listing');
    assert.equal(res.statusCode, 200);
    const list = res.json().experiments;
    assert.deepEqual(list.map((e: any) => e.name), ['second', 'first']);
    assert.deepEqual(list.map((e: any) => e.status), ['active', 'paused']);
    assert.deepEqual(Object.keys(list[0]).sort(), [...EXPERIMENT_KEYS].sort());
    assert.equal(list[0].id, b.id);
    assert.equal(list[0].project_id, p.id);
    expectError(await req('GET', '/experiments'), 400, 'PROJECT_REQUIRED');
    expectError(await req('GET', '/experiments?project='), 400, 'PROJECT_REQUIRED');
    expectError(await req('GET', '/experiments?project=ghost'), 404, 'NOT_FOUND');
  });
});

describe('GET /experiments/{id}', () => {
  test('the object plus results (always present); 404 EXPERIMENT_NOT_FOUND', async () => {
    const e = (await create({ name: 'detail', variants: ['a', 'b', 'c'] })).json();
    const res = await req('GET', `/experiments/${e.id}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...EXPERIMENT_KEYS, 'results'].sort());
    const { results, ...rest } = body;
    assert.deepEqual(rest, e);
    assert.deepEqual(results, {
      variants: ['a', 'b', 'c'].map((k) => ({ key: k, exposures: 0, unique_users: 0, conversions: 0, conversion_rate: 0 })),
      probability_best: { a: 0.333, b: 0.333, c: 0.333 },
      lift: { a: 0, b: 0, c: 0 },
      sufficient_data: false,
      recommendation: "Not enough data yet: each variant needs about 100 exposures (lowest: 'a' with 0).",
    });
    expectError(await req('GET', '/experiments/exp_doesnotexist0000'), 404, 'EXPERIMENT_NOT_FOUND');
  });
});

describe('PATCH /experiments/{id}', () => {
  test('the transition table: allowed moves, no-ops and anything out of completed are INVALID_EXPERIMENT_STATUS', async () => {
    const statuses = ['active', 'paused', 'completed'] as const;
    const allowed: Record<string, string[]> = { active: ['paused', 'completed'], paused: ['active', 'completed'], completed: [] };
    let n = 0;
    for (const from of statuses) {
      for (const to of statuses) {
        const e = (await create({ name: `tt${n++}` })).json();
        if (from === 'paused') assert.equal((await req('PATCH', `/experiments/${e.id}`, { status: 'paused' })).statusCode, 200);
        if (from === 'completed') assert.equal((await req('PATCH', `/experiments/${e.id}`, { status: 'completed' })).statusCode, 200);
        const res = await req('PATCH', `/experiments/${e.id}`, { status: to });
        if (allowed[from].includes(to)) {
          assert.equal(res.statusCode, 200, `${from} → ${to}: ${res.body}`);
          assert.equal(res.json().status, to);
        } else {
          expectError(res, 400, 'INVALID_EXPERIMENT_STATUS');
        }
      }
    }
  });

  test('missing or unknown status → INVALID_EXPERIMENT_STATUS (before the lookup)', async () => {
    const e = (await create({ name: 'statuses' })).json();
    for (const body of [{}, { status: 'done' }, { status: 'ACTIVE' }, { status: 1 }, { status: null }, { winner: 'control' }]) {
      expectError(await req('PATCH', `/experiments/${e.id}`, body), 400, 'INVALID_EXPERIMENT_STATUS');
    }
    expectError(await req('PATCH', `/experiments/${e.id}`), 400, 'INVALID_EXPERIMENT_STATUS');
    expectError(await req('PATCH', '/experiments/exp_unknown', {}), 400, 'INVALID_EXPERIMENT_STATUS');
    expectError(await req('PATCH', '/experiments/exp_unknown', { status: 'paused' }), 404, 'EXPERIMENT_NOT_FOUND');
  });

  test('updated_at changes on every PATCH; completing sets completed_at and the winner; winner is ignored otherwise', async () => {
    const e = (await create({ name: 'lifecycle' })).json();
    await new Promise((r) => setTimeout(r, 5));
    const paused = (await req('PATCH', `/experiments/${e.id}`, { status: 'paused', winner: 'not-a-variant' })).json();
    assert.deepEqual(Object.keys(paused).sort(), [...EXPERIMENT_KEYS].sort());
    assert.equal(paused.status, 'paused');
    assert.equal(paused.winner, null);
    assert.equal(paused.completed_at, null);
    assert.ok(paused.updated_at > e.updated_at);
    assert.equal(paused.created_at, e.created_at);
    await new Promise((r) => setTimeout(r, 5));
    const resumed = (await req('PATCH', `/experiments/${e.id}`, { status: 'active', winner: 'new_cta' })).json();
    assert.equal(resumed.winner, null);
    assert.ok(resumed.updated_at > paused.updated_at);
    expectError(await req('PATCH', `/experiments/${e.id}`, { status: 'completed', winner: 'nope' }), 400, 'INVALID_VARIANTS');
    expectError(await req('PATCH', `/experiments/${e.id}`, { status: 'completed', winner: 3 }), 400, 'INVALID_VARIANTS');
    // The failed attempts changed nothing.
    assert.equal((await req('GET', `/experiments/${e.id}`)).json().status, 'active');
    const done = (await req('PATCH', `/experiments/${e.id}`, { status: 'completed', winner: 'new_cta' })).json();
    assert.equal(done.status, 'completed');
    assert.equal(done.winner, 'new_cta');
    assert.equal(done.completed_at, done.updated_at);
    assert.ok(Math.abs(Date.parse(done.completed_at) - Date.now()) < 5000);
    const stored = (await req('GET', `/experiments/${e.id}`)).json();
    assert.equal(stored.winner, 'new_cta');
    assert.equal(stored.completed_at, done.completed_at);
    // Results keep being computed for completed experiments.
    assert.equal(stored.results.variants.length, 2);
    // Completing without a winner leaves winner null.
    const plain = (await create({ name: 'no_winner' })).json();
    const plainDone = (await req('PATCH', `/experiments/${plain.id}`, { status: 'completed' })).json();
    assert.equal(plainDone.winner, null);
    assert.match(plainDone.completed_at, /Z$/);
  });
});

describe('DELETE /experiments/{id}', () => {
  test('hard delete: 200 {ok, deleted}, then 404, gone from config and list, name reusable', async () => {
    const e = (await create({ name: 'doomed' })).json();
    // Served (and cached) before the delete: the delete must still take it out at once.
    assert.ok((await t.app.inject(`/experiments/config?token=${token}`)).json().experiments.some((x: any) => x.key === 'doomed'));
    const res = await req('DELETE', `/experiments/${e.id}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, deleted: e.id });
    expectError(await req('GET', `/experiments/${e.id}`), 404, 'EXPERIMENT_NOT_FOUND');
    expectError(await req('DELETE', `/experiments/${e.id}`), 404, 'EXPERIMENT_NOT_FOUND');
    expectError(await req('PATCH', `/experiments/${e.id}`, { status: 'paused' }), 404, 'EXPERIMENT_NOT_FOUND');
    const config = (await t.app.inject(`/experiments/config?token=${token}`)).json();
    assert.ok(!config.experiments.some((x: any) => x.key === 'doomed'));
    assert.ok(!(await req('GET', '/experiments?project=shop')).json().experiments.some((x: any) => x.id === e.id));
    assert.equal((await create({ name: 'doomed' })).statusCode, 201);
  });
});

describe('GET /experiments/config', () => {
  test('active experiments only, variants in stored order, public CORS, no API key', async () => {
    const p = await t.newProject(key, 'configsite');
    const a = (await create({ project: 'configsite', name: 'hero', variants: ['control', 'b', 'c'], weights: [50, 30, 20] })).json();
    const b = (await create({ project: 'configsite', name: 'paused_one' })).json();
    const c = (await create({ project: 'configsite', name: 'done_one' })).json();
    await req('PATCH', `/experiments/${b.id}`, { status: 'paused' });
    await req('PATCH', `/experiments/${c.id}`, { status: 'completed', winner: 'control' });
    const res = await t.app.inject({ url: `/experiments/config?token=${p.project_token}`, headers: { origin: 'https://anywhere.test' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.deepEqual(res.json(), { experiments: [{ key: 'hero', variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 30 }, { key: 'c', weight: 20 }] }] });
    // Resuming brings it back.
    await req('PATCH', `/experiments/${b.id}`, { status: 'active' });
    const keys = (await t.app.inject(`/experiments/config?token=${p.project_token}`)).json().experiments.map((x: any) => x.key).sort();
    assert.deepEqual(keys, ['hero', 'paused_one']);
    assert.ok(a.id);
  });

  test('400 MISSING_FIELDS without a token; 401 INVALID_TOKEN for unknown or deleted-project tokens; empty list when none', async () => {
    expectError(await t.app.inject('/experiments/config'), 400, 'MISSING_FIELDS');
    expectError(await t.app.inject('/experiments/config?token='), 400, 'MISSING_FIELDS');
    expectError(await t.app.inject(`/experiments/config?token=aat_${'f'.repeat(48)}`), 401, 'INVALID_TOKEN');
    const p = await t.newProject(key, 'shortlived');
    await create({ project: 'shortlived', name: 'orphan' });
    assert.equal((await t.app.inject(`/experiments/config?token=${p.project_token}`)).statusCode, 200);
    await req('DELETE', `/projects/${p.id}`);
    expectError(await t.app.inject(`/experiments/config?token=${p.project_token}`), 401, 'INVALID_TOKEN');
    const empty = await t.newProject(key, 'empty');
    assert.deepEqual((await t.app.inject(`/experiments/config?token=${empty.project_token}`)).json(), { experiments: [] });
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/experiments/config', headers: { origin: 'https://x.test', 'access-control-request-method': 'GET' } });
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
  });

  test('is not limited by the API rate counter (a 10 rpm free account can poll it freely)', async () => {
    const free = await t.newAccount('free');
    const p = await t.newProject(free, 'freepoll');
    for (let i = 0; i < 15; i++) {
      const res = await t.app.inject(`/experiments/config?token=${p.project_token}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
    }
    // The account's API budget is untouched: 9 more key requests still fit in this minute.
    for (let i = 0; i < 9; i++) assert.equal((await req('GET', '/experiments?project=freepoll', undefined, free)).statusCode, 200);
  });
});

describe('tenant isolation', () => {
  test('another account: 403 by id, 404 by project name; a deleted project hides its experiments', async () => {
    const other = await t.newAccount('pro');
    await t.newProject(other, 'theirs');
    const theirs = (await create({ project: 'theirs', name: 'secret' }, other)).json();
    expectError(await req('GET', `/experiments/${theirs.id}`), 403, 'FORBIDDEN');
    expectError(await req('PATCH', `/experiments/${theirs.id}`, { status: 'paused' }), 403, 'FORBIDDEN');
    expectError(await req('DELETE', `/experiments/${theirs.id}`), 403, 'FORBIDDEN');
    expectError(await req('GET', '/experiments?project=theirs'), 404, 'NOT_FOUND');
    expectError(await create({ project: 'theirs', name: 'intrude' }), 404, 'NOT_FOUND');
    expectError(await create({ project: theirs.project_id, name: 'intrude' }), 404, 'NOT_FOUND');
    // Nothing changed for the owner.
    const still = (await req('GET', `/experiments/${theirs.id}`, undefined, other)).json();
    assert.equal(still.status, 'active');

    const p = await t.newProject(key, 'soon-gone');
    const e = (await create({ project: 'soon-gone', name: 'ghost' })).json();
    await req('DELETE', `/projects/${p.id}`);
    expectError(await req('GET', `/experiments/${e.id}`), 404, 'EXPERIMENT_NOT_FOUND');
    expectError(await req('GET', '/experiments?project=soon-gone'), 404, 'NOT_FOUND');
  });
});
