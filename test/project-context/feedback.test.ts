// POST /account/feedback over the real app: stored with the account, the caller's project and created_at;
// every code (401, 400 MISSING_FIELDS / INVALID_BODY with the limit, 404 for a project not theirs); and the
// operators' GET /admin/feedback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ADMIN = 'feedback-admin-token';
let t: TestApp;
let P: { id: string; name: string };
let ownerId: string;
before(async () => {
  t = await startTestApp({ AA_ADMIN_TOKEN: ADMIN });
  P = await t.newProject(t.ownerKey, 'fb-site');
  ownerId = (await t.app.inject({ url: '/account', headers: { 'x-api-key': t.ownerKey } })).json().id;
});
after(async () => { await t.close(); });

const send = (payload: unknown, key: string | null = t.ownerKey) => t.app.inject({
  method: 'POST', url: '/account/feedback',
  headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});
const list = (query = '') => t.app.inject({ url: `/admin/feedback${query}`, headers: { authorization: `Bearer ${ADMIN}` } });

test('happy path: {ok: true}; stored with the account, the project id, command, context (object or string) and created_at', async () => {
  const before = Date.now();
  const res = await send({ message: '  The funnel tool should accept since=90d.  ', project: P.name, command: 'run_funnel', context: { steps: 3, since: '90d' } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { ok: true });
  const bare = await send({ message: 'Just a note' });
  assert.deepEqual(bare.json(), { ok: true });
  assert.equal((await send({ message: 'by id', project: P.id, context: 'ran it twice' })).statusCode, 200);

  const rows = (await list()).json().feedback;
  assert.equal(rows.length, 3);
  const [byId, note, first] = rows;
  assert.deepEqual({ ...first, id: undefined, created_at: undefined }, {
    id: undefined, account_id: ownerId, project_id: P.id, message: 'The funnel tool should accept since=90d.', command: 'run_funnel', context: { steps: 3, since: '90d' }, created_at: undefined,
  });
  assert.match(first.id, /^fb_[a-z0-9]{16}$/);
  assert.ok(Date.parse(first.created_at) >= before - 1000 && Date.parse(first.created_at) <= Date.now());
  assert.deepEqual([note.message, note.project_id, note.command, note.context], ['Just a note', null, null, null]);
  assert.deepEqual([byId.project_id, byId.context], [P.id, 'ran it twice']);
});

test('limits: exactly 4000 characters of message, 500 of command, 4000 of context are accepted; one more is 400 naming the limit', async () => {
  assert.equal((await send({ message: 'm'.repeat(4000), command: 'c'.repeat(500), context: 'x'.repeat(4000) })).statusCode, 200);
  const cases: [object, string, RegExp][] = [
    [{ message: 'm'.repeat(4001) }, 'INVALID_BODY', /^message is 4001 characters; the limit is 4000$/],
    [{ message: 'ok', command: 'c'.repeat(501) }, 'INVALID_BODY', /^command is 501 characters; the limit is 500$/],
    [{ message: 'ok', context: 'x'.repeat(4001) }, 'INVALID_BODY', /^context is 4001 characters; the limit is 4000$/],
    [{ message: 'ok', context: { blob: 'x'.repeat(4000) } }, 'INVALID_BODY', /^context is 4011 characters as JSON; the limit is 4000$/],
    [{ message: 42 }, 'INVALID_BODY', /^message must be a string, got a number$/],
    [{ message: 'ok', context: [1, 2] }, 'INVALID_BODY', /^context must be a string or a JSON object, got an array$/],
    [{ message: 'ok', command: 7 }, 'INVALID_BODY', /^command must be a string/],
    [{ message: 'ok', project: 5 }, 'INVALID_BODY', /^project must be a project name/],
    [{ message: 'ok', rating: 5 }, 'INVALID_BODY', /^unknown field "rating" in the body; allowed: message, project, command, context$/],
    [{}, 'MISSING_FIELDS', /^message is required/],
    [{ message: '   ' }, 'MISSING_FIELDS', /^message is required/],
    [{ message: null, project: 'nope' }, 'MISSING_FIELDS', /^message is required/],
  ];
  for (const [body, code, message] of cases) {
    const res = await send(body);
    assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 60)} → ${res.body}`);
    assert.equal(res.json().error, code);
    assert.match(res.json().message, message);
  }
  for (const raw of ['[1]', '"hi"', '{oops']) assert.equal((await send(raw)).json().error, 'INVALID_BODY', raw);
});

test('401 without a valid key; 404 for a project that is not the caller\'s (by name or id); nothing stored', async () => {
  const count = async () => (await list('?limit=500')).json().feedback.length;
  const n = await count();
  assert.equal((await send({ message: 'hi' }, null)).json().error, 'AUTH_REQUIRED');
  assert.equal((await send({ message: 'hi' }, `aak_${'f'.repeat(48)}`)).statusCode, 401);
  const other = await t.newAccount('free');
  for (const project of [P.name, P.id, 'nope']) {
    const res = await send({ message: 'hi', project }, other);
    assert.equal(res.statusCode, 404, project);
    assert.equal(res.json().error, 'NOT_FOUND');
  }
  assert.equal(await count(), n);
  assert.equal((await send({ message: 'from another account' }, other)).statusCode, 200);
  const theirs = (await list(`?account_id=${encodeURIComponent((await t.app.inject({ url: '/account', headers: { 'x-api-key': other } })).json().id)}`)).json().feedback;
  assert.deepEqual(theirs.map((f: { message: string }) => f.message), ['from another account']);
});

test('GET /admin/feedback: admin token only, limit 1-500', async () => {
  assert.equal((await list('?limit=1')).json().feedback.length, 1);
  assert.equal((await list('?limit=0')).json().error, 'MISSING_FIELDS');
  assert.equal((await list('?limit=501')).statusCode, 400);
  assert.equal((await t.app.inject({ url: '/admin/feedback', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  assert.equal((await t.app.inject({ url: '/admin/feedback', headers: { 'x-api-key': t.ownerKey } })).statusCode, 401);
});
