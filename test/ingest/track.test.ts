import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, listEvents, post, UA } from './helpers.js';

describe('POST /track', () => {
  let t: TestApp;
  let token: string;
  let projectId: string;
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'site-a');
    token = p.project_token;
    projectId = p.id;
  });
  after(async () => t.close());

  test('a text/plain beacon is stored with promoted columns and listed by /events', async () => {
    const res = await post(t, '/track', { token, event: 'signup', properties: { plan: 'pro', path: '/pricing', url: 'https://Acme.test/pricing', referrer: 'https://www.google.com/search?q=x', screen: 1920 }, user_id: 'anon_1', session_id: 'sess_1' });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json(), { ok: true, queued: true });
    assert.equal(res.headers['x-ratelimit-limit'], '-1');
    const [e] = await listEvents(t, 'site-a', '&event=signup');
    assert.deepEqual(Object.keys(e).sort(), ['country', 'date', 'event', 'id', 'project_id', 'properties', 'session_id', 'timestamp', 'user_id']);
    assert.equal(e.project_id, projectId);
    assert.deepEqual(e.properties, { plan: 'pro', path: '/pricing', url: 'https://Acme.test/pricing', referrer: 'https://www.google.com/search?q=x', screen: 1920 });
    assert.equal(e.user_id, 'anon_1');
    assert.equal(e.session_id, 'sess_1');
    assert.match(e.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(e.date, new Date(e.timestamp).toISOString().slice(0, 10));
    assert.ok(Math.abs(e.timestamp - Date.now()) < 5000, 'absent timestamp = receive time');
    assert.equal(e.country, null);
    const rows = await t.stores.events.query({ sql: 'SELECT path, url, hostname, referrer_domain, screen, title FROM events WHERE id = $1', params: [e.id] });
    assert.deepEqual(rows, [{ path: '/pricing', url: 'https://Acme.test/pricing', hostname: 'acme.test', referrer_domain: 'google.com', screen: '1920', title: null }]);
  });

  test('any Content-Type (json, none, form) is parsed as JSON', async () => {
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
      const res = await post(t, '/track', { token, event: `ct_${type}` }, { 'content-type': type });
      assert.equal(res.statusCode, 202, `${type}: ${res.body}`);
    }
    const none = await t.app.inject({ method: 'POST', url: '/track', headers: { 'user-agent': UA }, payload: Buffer.from(JSON.stringify({ token, event: 'ct_none' })) });
    assert.equal(none.statusCode, 202, none.body);
  });

  test('crawlers are dropped with 200 and counted; scripted clients and a missing User-Agent are stored (P1)', async () => {
    const before = await countRows(t, projectId);
    for (const ua of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'GPTBot/1.0', 'Mozilla/5.0 HeadlessChrome/126.0', 'FooCrawler/3.1', 'facebookexternalhit/1.1']) {
      const res = await post(t, '/track', { token, event: 'bot_visit' }, { 'user-agent': ua });
      assert.equal(res.statusCode, 200, ua);
      assert.deepEqual(res.json(), { ok: true, queued: false, dropped: 'bot' });
    }
    // Bots are answered before the body is even parsed.
    assert.equal((await post(t, '/track', 'not json', { 'user-agent': 'bingbot/2.0' })).statusCode, 200);
    assert.equal(await countRows(t, projectId), before);
    for (const ua of ['curl/8.5.0', 'python-requests/2.31', 'node', 'undici', 'axios/1.7.2', 'Go-http-client/1.1']) {
      const res = await post(t, '/track', { token, event: 'scripted' }, { 'user-agent': ua });
      assert.equal(res.statusCode, 202, ua);
    }
    const noUa = await t.app.inject({ method: 'POST', url: '/track', payload: JSON.stringify({ token, event: 'scripted' }), headers: { 'content-type': 'text/plain' } });
    assert.equal(noUa.statusCode, 202);
    assert.equal(await countRows(t, projectId), before + 7);
    const bots = t.app.services.ingest.drops.botTraffic([projectId], '2000-01-01');
    const byActor = Object.fromEntries(bots.map((b) => [b.actor, [b.category, b.requests, b.dropped_events]]));
    assert.deepEqual(byActor.Googlebot, ['search_crawler', 1, 1]);
    assert.deepEqual(byActor.FooCrawler, ['generic_bot', 1, 1]);
    assert.deepEqual(byActor.HeadlessChrome, ['headless_browser', 1, 1]);
    assert.equal(byActor.Bingbot, undefined, 'unattributable (no token) bot requests have no project');
  });

  test('bad JSON and non-object bodies are 400 INVALID_BODY; empty body too', async () => {
    for (const body of ['{"token":', '[1,2]', '"x"', '42', 'null']) {
      const res = await post(t, '/track', body);
      assert.equal(res.statusCode, 400, body);
      assert.equal(res.json().error, 'INVALID_BODY');
    }
    const empty = await t.app.inject({ method: 'POST', url: '/track', headers: { 'user-agent': UA } });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error, 'INVALID_BODY');
  });

  test('token: missing, unknown, non-string → 401 INVALID_TOKEN; ?token= is a fallback', async () => {
    for (const body of [{ event: 'x' }, { token: 'aat_nope', event: 'x' }, { token: 42, event: 'x' }, { token: '', event: 'x' }]) {
      const res = await post(t, '/track', body);
      assert.equal(res.statusCode, 401, JSON.stringify(body));
      assert.equal(res.json().error, 'INVALID_TOKEN');
    }
    // Token before field validation (E1 order): a bad token with a bad event is still 401.
    assert.equal((await post(t, '/track', { token: 'aat_nope' })).statusCode, 401);
    const viaQuery = await post(t, `/track?token=${token}`, { event: 'query_token' });
    assert.equal(viaQuery.statusCode, 202, viaQuery.body);
  });

  test('field validation: exact limits and codes', async () => {
    const now = Date.now();
    const cases: [Record<string, unknown>, number, string?][] = [
      [{ event: '' }, 400, 'MISSING_FIELDS'],
      [{ event: null }, 400, 'MISSING_FIELDS'],
      [{}, 400, 'MISSING_FIELDS'],
      [{ event: 5 }, 400, 'INVALID_BODY'],
      [{ event: 'e'.repeat(257) }, 400, 'INVALID_BODY'],
      [{ event: 'e'.repeat(256) }, 202],
      [{ event: '🎉'.repeat(256) }, 202], // 256 characters, 512 UTF-16 units
      [{ event: 'ok', properties: [1] }, 400, 'INVALID_BODY'],
      [{ event: 'ok', properties: 'x' }, 400, 'INVALID_BODY'],
      [{ event: 'ok', properties: { s: 'x'.repeat(8192 - 8) } }, 202], // exactly 8192 bytes
      [{ event: 'ok', properties: { s: 'x'.repeat(8192 - 7) } }, 400, 'INVALID_BODY'],
      [{ event: 'ok', properties: { __proto__x: 1 } }, 202],
      [{ event: 'ok', user_id: 'u'.repeat(257) }, 400, 'INVALID_BODY'],
      [{ event: 'ok', session_id: 7 }, 400, 'INVALID_BODY'],
      [{ event: 'ok', user_id: null, session_id: null, properties: null, timestamp: null }, 202],
      [{ event: 'ok', timestamp: '1773043200000' }, 400, 'INVALID_BODY'],
      [{ event: 'ok', timestamp: now - 31 * 86_400_000 }, 400, 'INVALID_BODY'],
      [{ event: 'ok', timestamp: now + 6 * 60_000 }, 400, 'INVALID_BODY'],
      [{ event: 'ok', timestamp: -1 }, 400, 'INVALID_BODY'],
      [{ event: 'ok', timestamp: now - 29 * 86_400_000 }, 202],
      [{ event: 'ok', timestamp: now + 4 * 60_000 }, 202],
      [{ event: 'ok', timestamp: 0 }, 202],
      [{ event: 'ok', project: 'ignored-name', extra: true }, 202],
    ];
    for (const [fields, status, code] of cases) {
      const res = await post(t, '/track', { token, ...fields });
      assert.equal(res.statusCode, status, `${JSON.stringify(fields).slice(0, 80)} → ${res.body}`);
      if (code) assert.equal(res.json().error, code);
    }
    // A literal "__proto__" key (JSON.parse makes it an own property) is refused: it invites pollution downstream.
    const proto = await post(t, '/track', `{"token":"${token}","event":"p","properties":{"a":{"__proto__":{"polluted":1}}}}`);
    assert.equal(proto.statusCode, 400);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Fields reachable only through the prototype are not fields: no token → 401.
    const inherited = await post(t, '/track', `{"__proto__":{"token":"${token}","event":"p"}}`);
    assert.equal(inherited.statusCode, 401);
  });

  test('bodies over 1 MB → 413 INVALID_BODY', async () => {
    const res = await post(t, '/track', JSON.stringify({ token, event: 'big', pad: 'x'.repeat(1_048_600) }));
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error, 'INVALID_BODY');
  });

  test('usage counts accepted events on the project', async () => {
    const p = await t.newProject(t.ownerKey, 'usage-site', 'https://usage.test');
    for (let i = 0; i < 3; i++) assert.equal((await post(t, '/track', { token: p.project_token, event: 'u' })).statusCode, 202);
    await post(t, '/track', { token: p.project_token }); // invalid: not counted
    const res = await t.app.inject({ url: `/projects/${p.id}`, headers: { 'x-api-key': t.ownerKey } });
    assert.equal(res.json().total_events, 3);
    assert.equal(res.json().usage_today.events, 3);
  });

  test('committed events reach the live bus with parsed properties', async () => {
    const p = await t.newProject(t.ownerKey, 'live-site', 'https://live.test');
    const seen: unknown[] = [];
    const stop = t.stores.bus.subscribe(p.id, (e) => seen.push(e));
    await post(t, '/track', { token: p.project_token, event: 'live', properties: { a: 1 }, user_id: 'u1' });
    stop();
    assert.equal(seen.length, 1);
    assert.deepEqual({ ...(seen[0] as object), id: 'x', timestamp: 0 }, { id: 'x', project_id: p.id, event: 'live', properties: { a: 1 }, user_id: 'u1', session_id: null, timestamp: 0, country: null });
  });

  test('an identified anonymous id is stored as the canonical user id (cache invalidated on "identities")', async () => {
    const p = await t.newProject(t.ownerKey, 'ident-site', 'https://ident.test');
    await post(t, '/track', { token: p.project_token, event: 'before', user_id: 'anon_z' });
    await t.stores.meta.setIdentity(p.id, 'anon_z', 'user_42');
    await t.stores.counters.invalidate('identities', p.id);
    await post(t, '/track', { token: p.project_token, event: 'after', user_id: 'anon_z' });
    const [after] = await listEvents(t, 'ident-site', '&event=after');
    assert.equal(after.user_id, 'user_42');
  });

  test('a deleted project\'s token stops working at once', async () => {
    const p = await t.newProject(t.ownerKey, 'doomed', 'https://doomed.test');
    assert.equal((await post(t, '/track', { token: p.project_token, event: 'x' })).statusCode, 202);
    const del = await t.app.inject({ method: 'DELETE', url: `/projects/${p.id}`, headers: { 'x-api-key': t.ownerKey } });
    assert.equal(del.statusCode, 200);
    const res = await post(t, '/track', { token: p.project_token, event: 'x' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'INVALID_TOKEN');
  });
});

describe('Origin enforcement (§1.9)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  test('allowed → 202 echoing the origin; denied → 403 and nothing stored; absent → 202', async () => {
    const p = await t.newProject(t.ownerKey, 'shop', 'https://shop.test,http://dev.shop.test:3101');
    const ok = await post(t, '/track', { token: p.project_token, event: 'a' }, { origin: 'HTTPS://shop.test/' });
    assert.equal(ok.statusCode, 202);
    assert.equal(ok.headers['access-control-allow-origin'], 'HTTPS://shop.test/');
    const ok2 = await post(t, '/track', { token: p.project_token, event: 'a' }, { origin: 'http://dev.shop.test:3101' });
    assert.equal(ok2.statusCode, 202);
    const denied = await post(t, '/track', { token: p.project_token, event: 'a' }, { origin: 'https://evil.test' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error, 'FORBIDDEN');
    const deniedBatch = await post(t, '/track/batch', { events: [{ token: p.project_token, event: 'a' }] }, { origin: 'null' });
    assert.equal(deniedBatch.statusCode, 403);
    const serverSide = await post(t, '/track', { token: p.project_token, event: 'a' });
    assert.equal(serverSide.statusCode, 202);
    assert.equal(await countRows(t, p.id), 3);
    // Changing allowed_origins takes effect at once (the token cache is invalidated).
    const patch = await t.app.inject({ method: 'PATCH', url: `/projects/${p.id}`, headers: { 'x-api-key': t.ownerKey }, payload: { allowed_origins: 'https://evil.test' } });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal((await post(t, '/track', { token: p.project_token, event: 'a' }, { origin: 'https://evil.test' })).statusCode, 202);
  });

  test('wildcard projects accept any origin', async () => {
    const p = await t.newProject(t.ownerKey, 'open');
    const res = await post(t, '/track', { token: p.project_token, event: 'a' }, { origin: 'https://anything.test' });
    assert.equal(res.statusCode, 202);
    assert.equal(res.headers['access-control-allow-origin'], 'https://anything.test');
  });
});

describe('text edge cases round-trip', () => {
  test('emoji, combining marks, NUL and lone surrogates inside properties survive storage', async () => {
    const t = await startTestApp();
    try {
      const p = await t.newProject(t.ownerKey, 'text');
      const properties = { title: 'a\u0000b \ud800 🎉', path: '/caf\u00e9/\u0301', nested: { s: '\udfff' } };
      const res = await post(t, '/track', { token: p.project_token, event: '🎉 signup ✓', properties, user_id: 'ユーザー' });
      assert.equal(res.statusCode, 202, res.body);
      const [e] = await listEvents(t, 'text');
      assert.equal(e.event, '🎉 signup ✓');
      assert.equal(e.user_id, 'ユーザー');
      assert.deepEqual(e.properties, properties);
      const [row] = await t.stores.events.query<{ title: string }>({ sql: 'SELECT title FROM events WHERE id = $1', params: [e.id] });
      assert.equal(row.title, 'a\u0000b \ufffd 🎉', 'promoted column: unpaired surrogate replaced, NUL kept');
    } finally {
      await t.close();
    }
  });
});

describe('client properties of browser requests (browser, browser_version, os, device)', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startTestApp();
    token = (await t.newProject(t.ownerKey, 'ua')).project_token;
  });
  after(async () => t.close());
  const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const ANDROID_TABLET = 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';

  test('derived from the User-Agent, the screen property and Sec-CH-UA-Mobile; stored in properties and columns', async () => {
    const origin = { origin: 'https://site.test' };
    assert.equal((await post(t, '/track', { token, event: 'mac', properties: { screen: '1440x900', path: '/a' } }, origin)).statusCode, 202);
    assert.equal((await post(t, '/track', { token, event: 'iphone', properties: {} }, { ...origin, 'user-agent': IPHONE })).statusCode, 202);
    assert.equal((await post(t, '/track', { token, event: 'tablet', properties: { screen: '800x1280' } }, { ...origin, 'user-agent': ANDROID_TABLET })).statusCode, 202);
    assert.equal((await post(t, '/track', { token, event: 'hinted', properties: { screen: '800x1280' } }, { ...origin, 'user-agent': ANDROID_TABLET, 'sec-ch-ua-mobile': '?1' })).statusCode, 202);
    const byName = new Map((await listEvents(t, 'ua')).map((e) => [e.event, e]));
    // Added with the lowest precedence, before the event's own properties.
    assert.deepEqual(byName.get('mac')!.properties, { browser: 'Chrome', browser_version: '126', os: 'macOS', device: 'desktop', screen: '1440x900', path: '/a' });
    assert.deepEqual(byName.get('iphone')!.properties, { browser: 'Safari', browser_version: '17', os: 'iOS', device: 'mobile' });
    assert.equal(byName.get('tablet')!.properties.device, 'tablet');
    assert.equal(byName.get('hinted')!.properties.device, 'mobile');
    const rows = await t.stores.events.query<Record<string, string>>({ sql: 'SELECT browser, browser_version, os, device FROM events WHERE id = $1', params: [byName.get('mac')!.id] });
    assert.deepEqual(rows, [{ browser: 'Chrome', browser_version: '126', os: 'macOS', device: 'desktop' }]);
  });

  test('what the event sends wins; batches, events without properties; server-side senders get nothing added', async () => {
    const res = await post(t, '/track/batch', { events: [
      { token, event: 'own', properties: { browser: 'MyApp', device: 'kiosk' } },
      { token, event: 'bare' },
    ] }, { origin: 'https://site.test' });
    assert.equal(res.statusCode, 202, res.body);
    for (const [ua, origin] of [['curl/8.5.0', 'https://site.test'], [undefined, undefined]] as const) {
      const headers: Record<string, string> = origin ? { origin } : {};
      if (ua) headers['user-agent'] = ua;
      assert.equal((await post(t, '/track', { token, event: 'server', properties: { plan: 'pro' } }, headers)).statusCode, 202);
    }
    const events = await listEvents(t, 'ua');
    assert.deepEqual(events.find((e) => e.event === 'own')!.properties, { browser_version: '126', os: 'macOS', browser: 'MyApp', device: 'kiosk' });
    assert.deepEqual(events.find((e) => e.event === 'bare')!.properties, { browser: 'Chrome', browser_version: '126', os: 'macOS', device: 'desktop' });
    for (const e of events.filter((e) => e.event === 'server')) assert.deepEqual(e.properties, { plan: 'pro' });
  });
});
