// POST /identify (Appendix A) over the real app: token/origin/bot/rate-limit steps shared with /track,
// the field codes, history rewrite, canonicalisation of later events, chains, and the effect on E28 results.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { roomInWindow } from '../helpers/windows.js';
import { eventRow, exposure } from './rows.js';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let t: TestApp;
let key: string;

before(async () => {
  t = await startTestApp();
  key = await t.newAccount('pro');
});
after(() => t.close());

/** POST as the tracker does: sendBeacon-style text/plain body. */
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER, ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

const userIds = async (projectId: string): Promise<string[]> =>
  (await t.stores.events.query<{ user_id: string | null }>({ sql: 'SELECT user_id FROM events WHERE project_id = $1 ORDER BY ts, id', params: [projectId] })).map((r) => r.user_id ?? 'null');

function expectError(res: { statusCode: number; json(): any }, status: number, code: string) {
  assert.equal(res.statusCode, status, JSON.stringify(res.json()));
  assert.equal(res.json().error, code);
}

describe('POST /identify', () => {
  test('rewrites stored events of that project only, answers 202, and later /track events arrive canonical', async () => {
    const p = await t.newProject(key, 'idsite');
    const other = await t.newProject(key, 'idother');
    const now = Date.now();
    // Through ingestion (which also warms its identity cache with anon_1 → itself) and straight into the store.
    assert.equal((await post('/track', { token: p.project_token, event: 'page_view', user_id: 'anon_1', timestamp: now - 3000 })).statusCode, 202);
    await t.stores.events.insert([
      eventRow(p.id, 'click', now - 2000, 'anon_1', null),
      eventRow(p.id, 'click', now - 1500, 'anon_2', null),
      eventRow(p.id, 'click', now - 1000, null, null),
      eventRow(other.id, 'click', now - 1000, 'anon_1', null),
    ]);
    const res = await post('/identify', { token: p.project_token, previous_id: 'anon_1', user_id: 'user_1', traits: { plan: 'pro' } });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(res.json(), { ok: true, queued: true });
    assert.equal(res.headers['x-ratelimit-limit'], '1000');
    assert.deepEqual(await userIds(p.id), ['user_1', 'user_1', 'anon_2', 'null']);
    assert.deepEqual(await userIds(other.id), ['anon_1']);

    assert.equal((await post('/track', { token: p.project_token, event: 'signup', user_id: 'anon_1' })).statusCode, 202);
    assert.equal((await post('/track/batch', { events: [{ token: p.project_token, event: 'a', user_id: 'anon_1' }, { token: p.project_token, event: 'b', user_id: 'anon_9' }] })).statusCode, 202);
    const later = await t.stores.events.query<{ event: string; user_id: string }>({ sql: "SELECT event, user_id FROM events WHERE project_id = $1 AND event IN ('signup', 'a', 'b') ORDER BY event", params: [p.id] });
    assert.deepEqual(later, [{ event: 'a', user_id: 'user_1' }, { event: 'b', user_id: 'anon_9' }, { event: 'signup', user_id: 'user_1' }]);
    // Other projects keep their own identities.
    assert.equal((await post('/track', { token: other.project_token, event: 'x', user_id: 'anon_1' })).statusCode, 202);
    assert.deepEqual((await userIds(other.id)).sort(), ['anon_1', 'anon_1']);
  });

  test('chains resolve to the newest id; repeating a call is idempotent', async () => {
    const p = await t.newProject(key, 'chains');
    const now = Date.now();
    await t.stores.events.insert([eventRow(p.id, 'e', now - 3000, 'anon_a', null), eventRow(p.id, 'e', now - 2000, 'mid', null)]);
    for (let i = 0; i < 2; i++) assert.equal((await post('/identify', { token: p.project_token, previous_id: 'anon_a', user_id: 'mid' })).statusCode, 202);
    assert.deepEqual(await userIds(p.id), ['mid', 'mid']);
    assert.equal((await post('/identify', { token: p.project_token, previous_id: 'mid', user_id: 'final' })).statusCode, 202);
    assert.deepEqual(await userIds(p.id), ['final', 'final']);
    assert.equal((await post('/track', { token: p.project_token, event: 'later', user_id: 'anon_a' })).statusCode, 202);
    assert.equal((await post('/track', { token: p.project_token, event: 'later', user_id: 'mid' })).statusCode, 202);
    assert.deepEqual(await userIds(p.id), ['final', 'final', 'final', 'final']);
    const map = await t.stores.meta.resolveIdentities(p.id, ['anon_a', 'mid']);
    assert.deepEqual(Object.fromEntries(map), { anon_a: 'final', mid: 'final' });
  });

  test('any Content-Type (or none) is parsed as JSON; ?token= is a fallback', async () => {
    const p = await t.newProject(key, 'ctypes');
    const body = JSON.stringify({ token: p.project_token, previous_id: 'a1', user_id: 'u1' });
    for (const ct of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await t.app.inject({ method: 'POST', url: '/identify', headers: { 'content-type': ct, 'user-agent': BROWSER }, payload: body });
      assert.equal(res.statusCode, 202, `${ct}: ${res.body}`);
    }
    const none = await t.app.inject({ method: 'POST', url: '/identify', headers: { 'user-agent': BROWSER }, payload: Buffer.from(body) });
    assert.equal(none.statusCode, 202, none.body);
    assert.equal((await post(`/identify?token=${p.project_token}`, { previous_id: 'a2', user_id: 'u2' })).statusCode, 202);
  });

  test('400 MISSING_FIELDS for missing, over-long or equal ids; INVALID_BODY for a body that is not a JSON object', async () => {
    const p = await t.newProject(key, 'fields');
    const tok = p.project_token;
    for (const body of [
      { token: tok, user_id: 'u' },
      { token: tok, previous_id: 'a' },
      { token: tok, previous_id: '', user_id: 'u' },
      { token: tok, previous_id: 'a', user_id: null },
      { token: tok, previous_id: 5, user_id: 'u' },
      { token: tok, previous_id: 'same', user_id: 'same' },
      { token: tok, previous_id: 'x'.repeat(257), user_id: 'u' },
      { token: tok, previous_id: 'a', user_id: 'y'.repeat(257) },
    ]) {
      expectError(await post('/identify', body), 400, 'MISSING_FIELDS');
    }
    assert.equal((await post('/identify', { token: tok, previous_id: 'x'.repeat(256), user_id: 'é'.repeat(256) })).statusCode, 202);
    expectError(await post('/identify', { token: tok, previous_id: 'a', user_id: 'u', traits: 'vip' }), 400, 'INVALID_BODY');
    expectError(await post('/identify', '{not json'), 400, 'INVALID_BODY');
    expectError(await post('/identify', '[1,2]'), 400, 'INVALID_BODY');
    expectError(await post('/identify', ''), 400, 'INVALID_BODY');
  });

  test('token, origin, bot and rate-limit steps as /track', async () => {
    const p = await t.newProject(key, 'guarded', 'https://guarded.test');
    expectError(await post('/identify', { previous_id: 'a', user_id: 'u' }), 401, 'INVALID_TOKEN');
    expectError(await post('/identify', { token: `aat_${'0'.repeat(48)}`, previous_id: 'a', user_id: 'u' }), 401, 'INVALID_TOKEN');
    // The token is checked before the fields (/track's order).
    expectError(await post('/identify', { token: 'nope' }), 401, 'INVALID_TOKEN');
    expectError(await post('/identify', { token: p.project_token, previous_id: 'a', user_id: 'u' }, { origin: 'https://evil.test' }), 403, 'FORBIDDEN');
    const ok = await post('/identify', { token: p.project_token, previous_id: 'a', user_id: 'u' }, { origin: 'https://guarded.test' });
    assert.equal(ok.statusCode, 202);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://guarded.test');

    // A filtered bot gets 200 and changes nothing.
    await t.stores.events.insert([eventRow(p.id, 'e', Date.now() - 1000, 'anon_b', null)]);
    const bot = await post('/identify', { token: p.project_token, previous_id: 'anon_b', user_id: 'u_b' }, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' });
    assert.equal(bot.statusCode, 200);
    assert.deepEqual(bot.json(), { ok: true, queued: false, dropped: 'bot' });
    assert.deepEqual(await userIds(p.id), ['anon_b']);
    assert.equal((await t.stores.meta.resolveIdentities(p.id, ['anon_b'])).size, 0);

    // Deleted project: its token is dead.
    const gone = await t.newProject(key, 'gone');
    await t.app.inject({ method: 'DELETE', url: `/projects/${gone.id}`, headers: { 'x-api-key': key } });
    expectError(await post('/identify', { token: gone.project_token, previous_id: 'a', user_id: 'u' }), 401, 'INVALID_TOKEN');
  });

  test('shares the per-account ingestion rate limit with /track (429 RATE_LIMITED, reason rate_limit)', async () => {
    const free = await t.newAccount('free');
    const p = await t.newProject(free, 'limited');
    await roomInWindow();
    for (let i = 0; i < 5; i++) assert.equal((await post('/track', { token: p.project_token, event: 'e' })).statusCode, 202);
    for (let i = 0; i < 5; i++) assert.equal((await post('/identify', { token: p.project_token, previous_id: `a${i}`, user_id: 'u' })).statusCode, 202);
    const res = await post('/identify', { token: p.project_token, previous_id: 'a9', user_id: 'u' });
    expectError(res, 429, 'RATE_LIMITED');
    assert.equal(res.json().reason, 'rate_limit');
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.equal(res.headers['x-ratelimit-limit'], '10');
  });

  test('experiment results follow the identity: an anonymous exposure converts as the identified user', async () => {
    const p = await t.newProject(key, 'abid');
    const exp = (await t.app.inject({ method: 'POST', url: '/experiments', headers: { 'x-api-key': key }, payload: { project: 'abid', name: 'hero', variants: ['control', 'b'], goal_event: 'signup' } })).json();
    const c = Date.parse(exp.created_at);
    await t.stores.events.insert([exposure(p.id, 'hero', 'b', c + 10, 'anon_z'), eventRow(p.id, 'signup', c + 20, 'user_z', null)]);
    const get = async () => (await t.app.inject({ url: `/experiments/${exp.id}`, headers: { 'x-api-key': key } })).json().results.variants[1];
    assert.deepEqual(await get(), { key: 'b', exposures: 1, unique_users: 1, conversions: 0, conversion_rate: 0 });
    assert.equal((await post('/identify', { token: p.project_token, previous_id: 'anon_z', user_id: 'user_z' })).statusCode, 202);
    assert.deepEqual(await get(), { key: 'b', exposures: 1, unique_users: 1, conversions: 1, conversion_rate: 1 });
  });
});
