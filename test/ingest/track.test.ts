import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('POST /track', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startTestApp();
    token = (await t.newProject(t.ownerKey, 'site-a')).project_token;
  });
  after(async () => t.close());

  const track = (payload: unknown, headers: Record<string, string> = {}, url = '/track') =>
    t.app.inject({ method: 'POST', url, headers: { 'user-agent': UA, 'content-type': 'text/plain;charset=UTF-8', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const events = async (query = '') => (await t.app.inject({ url: `/events?project=site-a${query}`, headers: { 'x-api-key': t.ownerKey } })).json().events;

  test('a text/plain beacon is stored and listed with its properties', async () => {
    const res = await track({ token, event: 'signup', properties: { plan: 'pro', path: '/pricing', referrer: 'https://www.google.com/search?q=x' }, user_id: 'anon_1', session_id: 'sess_1' });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json(), { ok: true, queued: true });
    assert.equal(res.headers['x-ratelimit-limit'], '-1');
    const [e] = await events('&event=signup');
    assert.equal(e.event, 'signup');
    assert.deepEqual(e.properties, { plan: 'pro', path: '/pricing', referrer: 'https://www.google.com/search?q=x' });
    assert.equal(e.user_id, 'anon_1');
    assert.match(e.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.match(e.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(e.country, null);
    const rows = await t.stores.events.query<{ path: string; referrer_domain: string }>({ sql: 'SELECT path, referrer_domain FROM events WHERE id = $1', params: [e.id] });
    assert.deepEqual(rows, [{ path: '/pricing', referrer_domain: 'google.com' }]);
  });
});
