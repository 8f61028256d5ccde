// GET / PUT /project-context over the real app (DuckDB + SQLite in a temp folder): the response shapes,
// replace semantics, every limit and code, tenant isolation, and persistence across a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let P: { id: string; name: string };
before(async () => {
  t = await startTestApp();
  P = await t.newProject(t.ownerKey, 'ctx-site');
});
after(async () => { await t.close(); });

const EMPTY = { goals: [], activation_events: [], glossary: [] };
const get = (url: string, key: string | null = t.ownerKey) => t.app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });
const put = (payload: unknown, key: string | null = t.ownerKey) => t.app.inject({
  method: 'PUT', url: '/project-context',
  headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});
const stored = async () => (await get(`/project-context?project=${P.name}`)).json().project_context;

const FULL = {
  goals: ['Turn visitors into trial signups', 'Keep trial users coming back'],
  activation_events: ['signup', 'first_project_created'],
  glossary: [
    { event_name: 'signup', term: 'Trial start', definition: 'A visitor created an account; the 14-day trial begins.' },
    { event_name: 'first_project_created', term: 'Activated', definition: 'The user created a first project: the moment they got value.' },
  ],
};

test('GET on a project never given a context: the empty lists, no ok', async () => {
  const res = await get(`/project-context?project=${P.name}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { project: 'ctx-site', project_id: P.id, project_context: EMPTY });
});

test('PUT stores the context (trimmed) and answers ok: true; GET returns it, by name or id, over every key transport', async () => {
  const res = await put({ project: P.name, ...FULL, goals: ['  Turn visitors into trial signups\n', 'Keep trial users coming back'], activation_events: [' signup ', 'first_project_created'] });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { ok: true, project: 'ctx-site', project_id: P.id, project_context: FULL });
  assert.deepEqual((await get(`/project-context?project=${P.id}`)).json(), { project: 'ctx-site', project_id: P.id, project_context: FULL });
  const bearer = await t.app.inject({ method: 'GET', url: `/project-context?project=${P.name}`, headers: { authorization: `Bearer ${t.ownerKey}` } });
  assert.equal(bearer.statusCode, 200);
  assert.deepEqual(bearer.json().project_context, FULL);
  const query = await get(`/project-context?project=${P.name}&key=${t.ownerKey}`, null);
  assert.equal(query.statusCode, 200);
  assert.ok(query.headers['x-ratelimit-limit'] !== undefined, 'P7 rate-limit headers');
});

test('PUT replaces the whole context: lists left out become empty; only `project` clears it', async () => {
  assert.equal((await put({ project: P.name, ...FULL })).statusCode, 200);
  const res = await put({ project: P.name, goals: ['Sell more plans'] });
  assert.deepEqual(res.json().project_context, { goals: ['Sell more plans'], activation_events: [], glossary: [] });
  assert.deepEqual(await stored(), { goals: ['Sell more plans'], activation_events: [], glossary: [] });
  assert.deepEqual((await put({ project: P.name })).json(), { ok: true, project: 'ctx-site', project_id: P.id, project_context: EMPTY });
  assert.deepEqual(await stored(), EMPTY);
});

test('the GET answer can be edited and sent back (lists nested in project_context; ok and project_id tolerated)', async () => {
  await put({ project: P.name, ...FULL });
  const read = (await get(`/project-context?project=${P.name}`)).json();
  read.project_context.goals.push('Grow the newsletter');
  const res = await put({ ...read, ok: true });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(await stored(), { ...FULL, goals: [...FULL.goals, 'Grow the newsletter'] });
});

test('limits: exactly at every limit is accepted; characters are code points (an emoji counts once)', async () => {
  const at = {
    project: P.name,
    goals: Array.from({ length: 5 }, (_, i) => `${i}`.repeat(160)),
    activation_events: Array.from({ length: 8 }, (_, i) => `${i}`.repeat(96)),
    glossary: Array.from({ length: 10 }, (_, i) => ({ event_name: `${i}`.repeat(96), term: `${i}`.repeat(64), definition: `${i}`.repeat(240) })),
  };
  const res = await put(at);
  assert.equal(res.statusCode, 200, res.body);
  const { project: _p, ...lists } = at;
  assert.deepEqual(res.json().project_context, lists);
  const emoji = await put({ project: P.name, goals: ['🚀'.repeat(160)] });
  assert.equal(emoji.statusCode, 200, emoji.body);
  assert.equal(emoji.json().project_context.goals[0], '🚀'.repeat(160));
});

test('every over-limit, wrong-type or unknown field is a 400 INVALID_BODY naming the field and limit; nothing is stored', async () => {
  await put({ project: P.name, ...FULL });
  const entry = { event_name: 'signup', term: 'Trial start', definition: 'x' };
  const cases: [unknown, RegExp][] = [
    [{ goals: Array(6).fill('g') }, /^goals has 6 items; the limit is 5$/],
    [{ goals: ['ok', 'x'.repeat(161)] }, /^goals\[1\] is 161 characters; the limit is 160$/],
    [{ goals: ['🚀'.repeat(161)] }, /^goals\[0\] is 161 characters; the limit is 160$/],
    [{ activation_events: Array(9).fill('e') }, /^activation_events has 9 items; the limit is 8$/],
    [{ activation_events: ['e'.repeat(97)] }, /^activation_events\[0\] is 97 characters; the limit is 96$/],
    [{ glossary: Array(11).fill(entry) }, /^glossary has 11 items; the limit is 10$/],
    [{ glossary: [{ ...entry, event_name: 'e'.repeat(97) }] }, /^glossary\[0\]\.event_name is 97 characters; the limit is 96$/],
    [{ glossary: [entry, { ...entry, term: 't'.repeat(65) }] }, /^glossary\[1\]\.term is 65 characters; the limit is 64$/],
    [{ glossary: [{ ...entry, definition: 'd'.repeat(241) }] }, /^glossary\[0\]\.definition is 241 characters; the limit is 240$/],
    [{ goals: 'Sell more' }, /^goals must be an array, got a string$/],
    [{ goals: null }, /^goals must be an array, got null$/],
    [{ activation_events: [42] }, /^activation_events\[0\] must be a string, got a number$/],
    [{ goals: ['   '] }, /^goals\[0\] must not be empty$/],
    [{ glossary: ['signup'] }, /^glossary\[0\] must be an object \{event_name, term, definition\}, got a string$/],
    [{ glossary: [{ event_name: 'signup', term: 'Trial' }] }, /^glossary\[0\]\.definition is required/],
    [{ glossary: [{ ...entry, note: 'x' }] }, /^unknown field "note" in glossary\[0\]; allowed: event_name, term, definition$/],
    [{ glossary: [{ ...entry, term: '' }] }, /^glossary\[0\]\.term must not be empty$/],
    [{ goal: ['typo'] }, /^unknown field "goal" in the body; allowed: project, goals, activation_events, glossary$/],
    [{ project_context: { goals: ['a'] }, goals: ['b'] }, /^unknown field "goals" in the body \(with project_context/],
    [{ project_context: ['a'] }, /^project_context must be an object/],
    [{ project_context: { goals: ['a'], extra: 1 } }, /^unknown field "extra" in project_context/],
  ];
  for (const [fields, message] of cases) {
    const res = await put({ project: P.name, ...(fields as object) });
    assert.equal(res.statusCode, 400, `${JSON.stringify(fields).slice(0, 80)} → ${res.body}`);
    assert.equal(res.json().error, 'INVALID_BODY');
    assert.match(res.json().message, message);
  }
  for (const body of ['[1,2]', '"text"', '{not json']) {
    const res = await put(body);
    assert.equal(res.statusCode, 400, body);
    assert.equal(res.json().error, 'INVALID_BODY', body);
  }
  assert.deepEqual(await stored(), FULL, 'no failed PUT changed the context');
});

test('codes: 401 without a key, 400 PROJECT_REQUIRED, 404 for an unknown project; the check order of §1.3', async () => {
  assert.equal((await get(`/project-context?project=${P.name}`, null)).json().error, 'AUTH_REQUIRED');
  assert.equal((await put({ project: P.name }, null)).statusCode, 401);
  for (const res of [await get('/project-context'), await get('/project-context?project='), await put({ goals: ['a'] }), await put({ project: '', goals: ['a'] })]) {
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'PROJECT_REQUIRED');
  }
  const missing = await get('/project-context?project=nope');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error, 'NOT_FOUND');
  assert.match(missing.json().message, /"nope"/);
  // The lookup (404) comes before the semantic check (400).
  const both = await put({ project: 'nope', goals: Array(6).fill('g') });
  assert.equal(both.statusCode, 404);
});

test('tenant isolation: another account can neither read nor replace the context, by name or id; same names stay separate', async () => {
  await put({ project: P.name, ...FULL });
  const other = await t.newAccount('pro');
  for (const ref of [P.name, P.id]) {
    assert.equal((await get(`/project-context?project=${ref}`, other)).statusCode, 404);
    const res = await put({ project: ref, goals: ['hijack'] }, other);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'NOT_FOUND');
  }
  assert.deepEqual(await stored(), FULL);
  // The other account's own project of the same name has its own (empty) context.
  const mine = await t.newProject(other, P.name);
  assert.deepEqual((await get(`/project-context?project=${P.name}`, other)).json(), { project: P.name, project_id: mine.id, project_context: EMPTY });
  await put({ project: P.name, goals: ['Theirs'] }, other);
  assert.deepEqual(await stored(), FULL);
  assert.deepEqual((await get(`/project-context?project=${mine.id}`, other)).json().project_context.goals, ['Theirs']);
  // A deleted project's context is gone with it (404).
  const gone = await t.newProject(t.ownerKey, 'ctx-deleted');
  await put({ project: gone.name, goals: ['x'] });
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/projects/${gone.id}`, headers: { 'x-api-key': t.ownerKey } })).statusCode, 200);
  assert.equal((await get(`/project-context?project=${gone.id}`)).statusCode, 404);
});

test('the context survives a restart on the same data folder (and is echoed again)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-ctx-restart-'));
  try {
    const a = await startTestApp({}, { dir });
    const p = await a.newProject(a.ownerKey, 'durable');
    const res = await a.app.inject({ method: 'PUT', url: '/project-context', headers: { 'x-api-key': a.ownerKey }, payload: { project: 'durable', ...FULL } });
    assert.equal(res.statusCode, 200, res.body);
    await a.close();
    const b = await startTestApp({}, { dir });
    try {
      const back = await b.app.inject({ url: '/project-context?project=durable', headers: { 'x-api-key': b.ownerKey } });
      assert.deepEqual(back.json(), { project: 'durable', project_id: p.id, project_context: FULL });
      const stats = await b.app.inject({ url: '/stats?project=durable', headers: { 'x-api-key': b.ownerKey } });
      assert.deepEqual(stats.json().project_context, FULL);
    } finally {
      await b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('/openapi.json documents both operations and the limits', async () => {
  const spec = (await get('/openapi.json')).json();
  const op = spec.paths['/project-context'];
  assert.ok(op.get && op.put, 'GET and PUT are documented');
  const body = op.put.requestBody.content['application/json'].schema;
  assert.equal(body.properties.goals.maxItems, 5);
  assert.equal(body.properties.goals.items.maxLength, 160);
  assert.equal(body.properties.activation_events.maxItems, 8);
  assert.equal(body.properties.glossary.items.properties.definition.maxLength, 240);
  assert.ok(spec.paths['/account/feedback'].post);
});
