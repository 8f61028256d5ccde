import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { roomInWindow } from '../helpers/windows.js';
import { countRows, listEvents, post } from './helpers.js';

describe('ingestion rate limit and quotas (§1.8, P7)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ AA_TIER_FREE_RATE_LIMIT_RPM: '4', AA_TIER_FREE_MAX_EVENTS_LIFETIME: '6', AA_TIER_PRO_MAX_EVENTS_PER_MONTH: '3', AA_TRUST_COUNTRY_HEADER: 'cf-ipcountry' });
  });
  after(async () => t.close());

  test('per-account request limit: headers on every answer, 429 rate_limit with Retry-After past it', async () => {
    const key = await t.newAccount('free');
    const p = await t.newProject(key, 'limited');
    await roomInWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(t, '/track', { token: p.project_token, event: 'r' });
      statuses.push(res.statusCode);
      assert.equal(res.headers['x-ratelimit-limit'], '4');
      assert.equal(res.headers['x-ratelimit-remaining'], String(Math.max(0, 3 - i)));
      assert.ok(Number(res.headers['x-ratelimit-reset']) >= 1);
      if (res.statusCode === 429) {
        assert.equal(res.json().error, 'RATE_LIMITED');
        assert.equal(res.json().reason, 'rate_limit');
        assert.ok(Number(res.headers['retry-after']) >= 1);
      }
    }
    assert.deepEqual(statuses, [202, 202, 202, 202, 429]);
    // The API-key counter is independent of the ingestion one.
    const api = await t.app.inject({ url: '/projects', headers: { 'x-api-key': key } });
    assert.equal(api.statusCode, 200);
  });

  test('lifetime quota: a batch crossing it is refused whole (429 lifetime_event_limit)', async () => {
    const key = await t.newAccount('free');
    const p = await t.newProject(key, 'quota');
    const ev = (n: number) => ({ events: Array.from({ length: n }, () => ({ token: p.project_token, event: 'q' })) });
    assert.equal((await post(t, '/track/batch', ev(4))).statusCode, 202);
    const over = await post(t, '/track/batch', ev(3));
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().reason, 'lifetime_event_limit');
    assert.ok(over.headers['retry-after']);
    assert.equal((await post(t, '/track/batch', ev(2))).statusCode, 202);
    assert.equal((await post(t, '/track', { token: p.project_token, event: 'q' })).statusCode, 429);
    assert.equal(await countRows(t, p.id), 6);
  });

  test('monthly quota: 429 naming the monthly cap, Retry-After until next month', async () => {
    const key = await t.newAccount('pro');
    const p = await t.newProject(key, 'monthly');
    for (let i = 0; i < 3; i++) assert.equal((await post(t, '/track', { token: p.project_token, event: 'm' })).statusCode, 202);
    const res = await post(t, '/track', { token: p.project_token, event: 'm' });
    assert.equal(res.statusCode, 429);
    assert.equal(res.json().reason, 'lifetime_event_limit');
    assert.match(res.json().message, /monthly/);
    assert.ok(Number(res.headers['retry-after']) <= 31 * 86_400);
  });

  test('country from the trusted header named by AA_TRUST_COUNTRY_HEADER; garbage ignored', async () => {
    const p = await t.newProject(t.ownerKey, 'geo');
    await post(t, '/track', { token: p.project_token, event: 'de' }, { 'cf-ipcountry': 'de' });
    await post(t, '/track', { token: p.project_token, event: 'xx' }, { 'cf-ipcountry': 'XX' });
    await post(t, '/track', { token: p.project_token, event: 'tor' }, { 'cf-ipcountry': 'T1' });
    const byEvent = Object.fromEntries((await listEvents(t, 'geo')).map((e) => [e.event, e.country]));
    assert.deepEqual(byEvent, { de: 'DE', xx: null, tor: null });
  });
});

describe('country header is ignored unless the operator trusts it', () => {
  test('no AA_TRUST_COUNTRY_HEADER → null even with CF-IPCountry', async () => {
    const t = await startTestApp();
    try {
      const p = await t.newProject(t.ownerKey, 'geo');
      await post(t, '/track', { token: p.project_token, event: 'de' }, { 'cf-ipcountry': 'DE', 'x-vercel-ip-country': 'DE' });
      const [e] = await listEvents(t, 'geo');
      assert.equal(e.country, null);
    } finally {
      await t.close();
    }
  });
});
