// The served /tracker.js in a real Chromium: wire format, automatic properties, identity, sessions, consent,
// experiments, SPA views, guards. One browser for the file; each test has its own token and context.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { pickVariant } from '../../src/tracker/hash.js';
import { eventsOf, hide, hitsOf, newToken, ready, startHarness, until, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function open(token: string, body = '', attrs: Record<string, string> = {}, query = ''): Promise<{ ctx: BrowserContext; page: Page; url: string }> {
  const ctx = await h.newContext();
  const page = await ctx.newPage();
  const url = h.origin + h.page(body, { 'data-token': token, ...attrs }) + query;
  await page.goto(url);
  await ready(page);
  return { ctx, page, url };
}

test('initial page_view: one bare event on /track with the automatic properties, no query leaks', async () => {
  const token = newToken();
  const { ctx, page, url } = await open(token, '', {}, '?utm_source=news&utm_campaign=spring&secret=s3cr3t#frag');
  await hide(page);
  const hit = await until(() => hitsOf(h.hits, token)[0]);
  assert.equal(hit.path, '/track');
  assert.match(hit.contentType, /^text\/plain/);
  const e = hit.body;
  const path = new URL(url).pathname;
  assert.equal(e.event, 'page_view');
  assert.equal(e.project, 'site');
  assert.equal(e.token, token);
  assert.match(e.user_id, /^anon_[a-z0-9]+$/);
  assert.match(e.session_id, /^sess_[a-z0-9]+$/);
  assert.ok(Math.abs(e.timestamp - Date.now()) < 60000);
  assert.deepEqual(e.properties, {
    url: h.origin + path,
    path,
    hostname: 'test.example',
    referrer: '',
    title: e.properties.title,
    screen: '1920x1080',
    language: 'en-US',
    timezone: 'Europe/Berlin',
    session_count: 0,
    days_since_first_visit: 0,
    utm_source: 'news',
    utm_campaign: 'spring',
    first_utm_source: 'news',
    first_utm_campaign: 'spring',
    page: e.properties.title,
  });
  assert.match(e.properties.title, /^Page \d+$/);
  assert.ok(!JSON.stringify(e).includes('s3cr3t') && !JSON.stringify(e).includes('frag'), 'query string or fragment leaked');
  await ctx.close();
});

test('custom and declarative events are batched; globals, precedence and email-key removal', async () => {
  const token = newToken();
  const { ctx, page } = await open(token, '<button id="cta" data-aa-event="cta_click" data-aa-event-plan="pro"><span id="inner">Go</span></button>');
  await page.evaluate(() => {
    const aa = (window as any).aa;
    aa.set({ app: 'web', tier: 'free', gone: 1 });
    aa.set({ gone: null });
    aa.track('signup', { tier: 'pro', email: 'x@y.z', profile: { workEmail: 'w', age: 3 }, fn: () => 1 });
  });
  await page.click('#inner');
  await hide(page);
  const hit = await until(() => hitsOf(h.hits, token)[0]);
  assert.equal(hit.path, '/track/batch');
  const [view, signup, cta] = hit.body.events;
  assert.deepEqual([view.event, signup.event, cta.event], ['page_view', 'signup', 'cta_click']);
  assert.equal(signup.properties.app, 'web');
  assert.equal(signup.properties.tier, 'pro', 'event properties win over aa.set globals');
  assert.ok(!('gone' in signup.properties));
  assert.ok(!('email' in signup.properties) && !('fn' in signup.properties));
  assert.deepEqual(signup.properties.profile, { age: 3 });
  assert.equal(cta.properties.plan, 'pro');
  assert.equal(cta.properties.tier, 'free');
  assert.equal(view.session_id, cta.session_id);
  assert.equal(signup.properties.session_count, 1, 'the first event started session 1');
  // A later single event goes out alone, as a bare object.
  await page.evaluate(() => (window as any).aa.page('Pricing'));
  await hide(page);
  const second = await until(() => hitsOf(h.hits, token)[1]);
  assert.equal(second.path, '/track');
  assert.equal(second.body.properties.page, 'Pricing');
  await ctx.close();
});

test('the 5-second timer is armed by the first event and not reset by later ones', async () => {
  const token = newToken();
  const ctx = await h.newContext();
  // Capture the tracker's 5-second timers instead of waiting for them.
  await ctx.addInitScript(() => {
    const w = window as any;
    const real = w.setTimeout;
    w.timers = [];
    w.setTimeout = (f: () => void, ms: number) => (ms == 5000 ? w.timers.push(f) : real(f, ms));
  });
  const page = await ctx.newPage();
  await page.goto(h.origin + h.page('', { 'data-token': token }));
  await ready(page);
  await page.evaluate(() => (window as any).aa.track('late'));
  assert.equal(await page.evaluate(() => (window as any).timers.length), 1);
  assert.equal(hitsOf(h.hits, token).length, 0);
  await page.evaluate(() => (window as any).timers[0]());
  const hit = await until(() => hitsOf(h.hits, token)[0]);
  assert.deepEqual(hit.body.events.map((e: any) => e.event), ['page_view', 'late']);
  // After a flush the next event arms a new timer.
  await page.evaluate(() => (window as any).aa.track('next'));
  assert.equal(await page.evaluate(() => (window as any).timers.length), 2);
  await ctx.close();
});

test('bodies over 64 KB are halved; more than 100 events go in chunks of 100', async () => {
  const token = newToken();
  const ctx = await h.newContext();
  // Record beacons without sending them: the browser's 64 KB in-flight quota is not what is under test.
  await ctx.addInitScript(() => {
    const w = window as any;
    w.beacons = [];
    navigator.sendBeacon = (url: any, body: any) => (w.beacons.push([String(url), body.size, body.type]), true);
  });
  const page = await ctx.newPage();
  await page.goto(h.origin + h.page('', { 'data-token': token }));
  await ready(page);
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++) (window as any).aa.track('big', { pad: 'x'.repeat(4000) });
  });
  await hide(page);
  const big = await page.evaluate(() => (window as any).beacons.splice(0));
  assert.deepEqual(big.map((b: any) => [b[0], b[2]]), [
    [h.origin + '/track/batch', 'text/plain'],
    [h.origin + '/track/batch', 'text/plain'],
  ]);
  for (const b of big) assert.ok(b[1] <= 65536 && b[1] > 30000, String(b[1]));
  await page.evaluate(() => {
    for (let i = 0; i < 201; i++) (window as any).aa.track('n' + i);
  });
  await hide(page);
  const many = await page.evaluate(() => (window as any).beacons.splice(0));
  assert.deepEqual(many.map((b: any) => b[0].slice(h.origin.length)), ['/track/batch', '/track/batch', '/track']);
  await ctx.close();
});

test('sendBeacon unavailable: fetch keepalive without credentials', async () => {
  const token = newToken();
  const ctx = await h.newContext();
  await ctx.addCookies([{ name: 'c', value: '1', url: h.origin }]);
  await ctx.addInitScript(() => Object.defineProperty(navigator, 'sendBeacon', { value: () => false }));
  const page = await ctx.newPage();
  await page.goto(h.origin + h.page('', { 'data-token': token }));
  await ready(page);
  await hide(page);
  const hit = await until(() => hitsOf(h.hits, token)[0]);
  assert.equal(hit.path, '/track');
  assert.equal(hit.cookie, '', 'credentials: omit');
  assert.match(hit.contentType, /^text\/plain/, 'no explicit content type: the fetch default');
  await ctx.close();
});

test('identity persists across reloads; identify links ids and keeps only a normalised email trait', async () => {
  const token = newToken();
  const { ctx, page } = await open(token);
  const first = await page.evaluate(() => (window as any).aa.getIdentity());
  assert.match(first.anonymousId, /^anon_/);
  assert.equal(first.userId, null);
  assert.equal(await page.evaluate((t) => localStorage.getItem(`aa:${t}:uid`), token), first.anonymousId);
  await page.reload();
  await ready(page);
  assert.deepEqual(await page.evaluate(() => (window as any).aa.getIdentity()), first);
  await page.evaluate(() => (window as any).aa.identify('user-42', { email: '  Jane@Example.COM ', plan: 'pro', backupEmail: 'b@c.d' }));
  const link = await until(() => h.hits.find((x) => x.path == '/identify' && x.body.token == token));
  assert.deepEqual(link.body, { token, previous_id: first.anonymousId, user_id: 'user-42', traits: { email: 'jane@example.com', plan: 'pro' } });
  // The two page views were flushed by identify, under the anonymous id.
  const views = await until(() => eventsOf(h.hits, token).length == 2 && eventsOf(h.hits, token));
  assert.deepEqual(views.map((e) => e.user_id), [first.anonymousId, first.anonymousId]);
  assert.equal(views[0].session_id, views[1].session_id, 'a reload keeps the session');
  await page.evaluate(() => (window as any).aa.track('after'));
  await hide(page);
  const after = await until(() => eventsOf(h.hits, token)[2]);
  assert.equal(after.user_id, 'user-42');
  assert.deepEqual(await page.evaluate(() => (window as any).aa.getIdentity()), { anonymousId: first.anonymousId, userId: 'user-42' });
  // Same id again, no traits: nothing to send.
  await page.evaluate(() => (window as any).aa.identify('user-42'));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(h.hits.filter((x) => x.path == '/identify' && x.body.token == token).length, 1);
  await ctx.close();
});

test('a session ends after 30 idle minutes', async () => {
  const token = newToken();
  const { ctx, page } = await open(token);
  await page.evaluate((t) => sessionStorage.setItem(`aa:${t}:last_activity`, String(Date.now() - 29 * 60000)), token);
  await page.evaluate(() => (window as any).aa.track('still'));
  await page.evaluate((t) => sessionStorage.setItem(`aa:${t}:last_activity`, String(Date.now() - 31 * 60000)), token);
  await page.evaluate(() => (window as any).aa.track('again'));
  await hide(page);
  const [view, still, again] = await until(() => eventsOf(h.hits, token).length == 3 && eventsOf(h.hits, token));
  assert.equal(still.session_id, view.session_id);
  assert.notEqual(again.session_id, view.session_id);
  assert.equal(again.properties.session_count, 1, 'counted before the new session started');
  assert.equal(await page.evaluate((t) => localStorage.getItem(`aa:${t}:sc`), token), '2');
  await ctx.close();
});

test('consent: buffered until granted, the grant is remembered, revoking discards the queue', async () => {
  const token = newToken();
  const { ctx, page } = await open(token, '', { 'data-require-consent': 'true' });
  await page.evaluate(() => (window as any).aa.identify('u1'));
  await hide(page);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(hitsOf(h.hits, token).length, 0);
  assert.ok(!h.hits.some((x) => x.path == '/identify' && x.body.token == token));
  await page.evaluate(() => (window as any).aa.grantConsent());
  const hit = await until(() => hitsOf(h.hits, token)[0]);
  assert.deepEqual(hit.body.events.map((e: any) => [e.event, e.properties.action]), [['page_view', undefined], ['$consent', 'granted']]);
  await page.reload();
  await ready(page);
  await hide(page);
  await until(() => eventsOf(h.hits, token).length == 3);
  // Revoking discards what is queued; later events wait for a new grant.
  await page.evaluate(() => {
    (window as any).aa.track('lost');
    (window as any).aa.revokeConsent();
    (window as any).aa.track('kept');
  });
  assert.equal(await page.evaluate((t) => localStorage.getItem(`aa:${t}:consent`), token), null);
  await hide(page);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(eventsOf(h.hits, token).length, 3);
  await page.evaluate(() => (window as any).aa.grantConsent());
  await until(() => eventsOf(h.hits, token).length == 5);
  assert.deepEqual(eventsOf(h.hits, token).slice(3).map((e) => e.event), ['kept', '$consent']);
  await ctx.close();
});

test('experiments: stable hashed assignment, one exposure, URL forcing, local fallback, declarative swap', async () => {
  const token = newToken();
  const variants = [
    { key: 'control', weight: 50 },
    { key: 'bold', weight: 50 },
  ];
  h.experiments.set(token, { experiments: [{ key: 'hero', variants }, { key: 'cta', variants }] });
  const html =
    '<h1 id="hero" data-aa-experiment="hero" data-aa-variant-bold="Bold!">Plain</h1>' +
    '<p id="cta" data-aa-experiment="cta">Control text</p><p id="off" data-aa-experiment="unknown" data-aa-variant-x="X">Kept</p>';
  const ctx = await h.newContext();
  const page = await ctx.newPage();
  const path = h.page(html, { 'data-token': token }, { head: '<script>document.documentElement.className="aa-loading"</script>' });
  await page.goto(h.origin + path);
  await ready(page);
  await page.waitForFunction(() => !document.documentElement.classList.contains('aa-loading'));
  const uid = (await page.evaluate(() => (window as any).aa.getIdentity())).anonymousId;
  const hero = pickVariant('hero', uid, variants);
  assert.equal(await page.textContent('#hero'), hero == 'bold' ? 'Bold!' : 'Plain');
  assert.equal(await page.textContent('#off'), 'Kept');
  assert.deepEqual(h.configRequests.filter((t) => t == token).length, 1);
  const answers = await page.evaluate(() => {
    const aa = (window as any).aa;
    return [aa.experiment('hero'), aa.experiment('hero'), aa.experiment('missing'), aa.experiment('local', ['a', 'b', 'c'])];
  });
  assert.deepEqual(answers.slice(0, 3), [hero, hero, null]);
  const local = pickVariant('local', uid, [
    { key: 'a', weight: 34 },
    { key: 'b', weight: 33 },
    { key: 'c', weight: 33 },
  ]);
  assert.equal(answers[3], local);
  await hide(page);
  const events = await until(() => eventsOf(h.hits, token).length >= 4 && eventsOf(h.hits, token));
  const exposures = events.filter((e) => e.event == '$experiment_exposure').map((e) => e.properties);
  assert.deepEqual(
    exposures.map((p) => [p.experiment, p.variant, p.forced]),
    [
      ['hero', hero, undefined],
      ['cta', pickVariant('cta', uid, variants), undefined],
      ['local', local, undefined],
    ],
  );
  // The same visitor on a new page load gets the same variant; forcing by URL wins and is flagged.
  await page.goto(h.origin + path + '?aa_variant_hero=' + (hero == 'bold' ? 'control' : 'bold') + '&aa_variant_cta=nope');
  await ready(page);
  const forced = await page.evaluate(() => [(window as any).aa.experiment('hero'), (window as any).aa.experiment('cta')]);
  assert.deepEqual(forced, [hero == 'bold' ? 'control' : 'bold', pickVariant('cta', uid, variants)]);
  await hide(page);
  const later = await until(() => eventsOf(h.hits, token).filter((e) => e.event == '$experiment_exposure').length == 5 && eventsOf(h.hits, token));
  const heroForced = later.filter((e) => e.event == '$experiment_exposure' && e.properties.experiment == 'hero').pop();
  assert.equal(heroForced.properties.forced, true);
  await ctx.close();
});

test('SPA tracking: pushState, replaceState and hash changes send page views; query strings stay out', async () => {
  const token = newToken();
  const { ctx, page } = await open(token, '', { 'data-track-spa': 'true' });
  await page.evaluate(() => {
    history.pushState({}, '', '/app/next?id=77');
    history.replaceState({}, '', '/app/next?id=77');
    document.title = 'Other';
    history.replaceState({}, '', '/app/other');
    location.hash = 'tab';
  });
  await page.waitForFunction(() => location.hash == '#tab');
  await new Promise((r) => setTimeout(r, 100));
  await hide(page);
  const views = await until(() => eventsOf(h.hits, token).length == 4 && eventsOf(h.hits, token));
  assert.deepEqual(
    views.map((e) => [e.event, e.properties.path, e.properties.url]),
    [
      ['page_view', views[0].properties.path, views[0].properties.url],
      ['page_view', '/app/next', h.origin + '/app/next'],
      ['page_view', '/app/other', h.origin + '/app/other'],
      ['page_view', '/app/other', h.origin + '/app/other'],
    ],
  );
  // Look for the query string itself: a bare '77' also turns up by chance in timestamps and random ids.
  assert.ok(!JSON.stringify(views).includes('id=77'), 'query string leaked into a page view');
  await ctx.close();
});

test('without data-track-spa, history changes send nothing', async () => {
  const token = newToken();
  const { ctx, page } = await open(token);
  await page.evaluate(() => history.pushState({}, '', '/elsewhere'));
  await hide(page);
  await until(() => eventsOf(h.hits, token).length == 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(eventsOf(h.hits, token).length, 1);
  await ctx.close();
});

test('referrer is origin + path of the previous page', async () => {
  const token = newToken();
  const target = h.page('', { 'data-token': token });
  const { ctx, page, url } = await open(token, `<a id="go" href="${target}">next</a>`, {}, '?from=ad');
  await page.click('#go');
  await page.waitForURL('**' + target);
  await ready(page);
  await hide(page);
  const views = await until(() => eventsOf(h.hits, token).length == 2 && eventsOf(h.hits, token));
  assert.equal(views[1].properties.referrer, url.replace('?from=ad', ''));
  assert.equal(views[1].properties.utm_source, undefined);
  await ctx.close();
});

test('impressions: once per element when half of it is visible', async () => {
  const token = newToken();
  const body = '<div style="height:2000px">top</div><div id="ad" data-aa-impression="promo" data-aa-impression-slot="footer" style="height:200px">ad</div>';
  const { ctx, page } = await open(token, body);
  await page.evaluate(() => document.getElementById('ad')!.scrollIntoView());
  await new Promise((r) => setTimeout(r, 300));
  await page.evaluate(() => window.scrollTo(0, 0));
  await new Promise((r) => setTimeout(r, 200));
  await page.evaluate(() => document.getElementById('ad')!.scrollIntoView());
  await new Promise((r) => setTimeout(r, 300));
  await hide(page);
  await until(() => eventsOf(h.hits, token).length >= 2);
  const imps = eventsOf(h.hits, token).filter((e) => e.event == '$impression');
  assert.equal(imps.length, 1);
  assert.equal(imps[0].properties.name, 'promo');
  assert.equal(imps[0].properties.slot, 'footer');
  await ctx.close();
});

test('impressions after SPA navigation: new elements are picked up, seen ones are not reported again', async () => {
  const token = newToken();
  const body = '<div id="first" data-aa-impression="first" style="height:100px">a</div><div style="height:2000px"></div><div id="end">end</div>';
  const { ctx, page } = await open(token, body, { 'data-track-spa': 'true' });
  await new Promise((r) => setTimeout(r, 300));
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.setAttribute('data-aa-impression', 'second');
    el.textContent = 'b';
    document.body.prepend(el);
    history.pushState({}, '', '/next');
  });
  await new Promise((r) => setTimeout(r, 300));
  await page.evaluate(() => document.getElementById('end')!.scrollIntoView());
  await new Promise((r) => setTimeout(r, 200));
  await page.evaluate(() => window.scrollTo(0, 0));
  await new Promise((r) => setTimeout(r, 300));
  await hide(page);
  await until(() => eventsOf(h.hits, token).length >= 4);
  await new Promise((r) => setTimeout(r, 100));
  const events = eventsOf(h.hits, token).map((e) => (e.event == '$impression' ? e.properties.name : e.event));
  assert.deepEqual(events, ['page_view', 'first', 'page_view', 'second']);
  await ctx.close();
});

test('cross-domain links get ?_aa=; an arrival strips it and links the two visitors', async () => {
  const token = newToken();
  const body = '<a id="out" href="http://shop.partner.example/cart?x=1">shop</a><a id="no" href="http://other.example/">other</a>';
  const { ctx, page } = await open(token, body, { 'data-link-domains': 'partner.example, x.example' });
  await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
  const uid = (await page.evaluate(() => (window as any).aa.getIdentity())).anonymousId;
  await page.click('#out');
  await page.click('#no');
  assert.equal(await page.getAttribute('#out', 'href'), `http://shop.partner.example/cart?x=1&_aa=${uid}`);
  assert.equal(await page.getAttribute('#no', 'href'), 'http://other.example/');
  const arrival = h.page('', { 'data-token': token, 'data-link-domains': 'partner.example' });
  const ctx2 = await h.newContext();
  const page2 = await ctx2.newPage();
  await page2.goto(h.origin + arrival + '?a=1&_aa=anon_fromelsewhere');
  await ready(page2);
  assert.equal(await page2.evaluate(() => location.search), '?a=1');
  const link = await until(() => h.hits.find((x) => x.path == '/identify' && x.body.token == token));
  const local = (await page2.evaluate(() => (window as any).aa.getIdentity())).anonymousId;
  assert.deepEqual(link.body, { token, previous_id: 'anon_fromelsewhere', user_id: local });
  await ctx.close();
  await ctx2.close();
});

test('outgoing links (served build) and scroll depth', async () => {
  const token = newToken();
  const body = '<div style="height:3000px"><a id="out" href="https://news.example.org/story?ref=1">out</a> <a id="in" href="/local">in</a></div>';
  const { ctx, page } = await open(token, body, { 'data-track-outgoing': 'true', 'data-track-scroll-depth': 'true' });
  await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
  await page.click('#out');
  await page.click('#in');
  await page.evaluate(() => window.scrollTo(0, 1500));
  await new Promise((r) => setTimeout(r, 100));
  await hide(page);
  const events = await until(() => eventsOf(h.hits, token).length >= 3 && eventsOf(h.hits, token));
  assert.deepEqual(
    events.filter((e) => e.event != 'page_view').map((e) => [e.event, e.properties.href || e.properties.scroll_depth, e.properties.hostname]),
    [
      ['outgoing_link', 'https://news.example.org/story', 'news.example.org'],
      ['$scroll_depth', Math.round(((1500 + 720) / 3016) * 100), 'test.example'],
    ],
  );
  await ctx.close();
});

test('guards: a second copy does nothing; DNT (when honoured) and the disable flag stop everything', async () => {
  const token = newToken();
  const ctx = await h.newContext();
  const page = await ctx.newPage();
  const twice = h.page(`<script defer src="/tracker.js" data-token="${token}"></script>`, { 'data-token': token });
  await page.goto(h.origin + twice);
  await ready(page);
  await hide(page);
  await until(() => eventsOf(h.hits, token).length == 1);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(eventsOf(h.hits, token).length, 1);

  const dnt = newToken();
  const ctx2 = await h.newContext();
  await ctx2.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
  const p2 = await ctx2.newPage();
  await p2.goto(h.origin + h.page('', { 'data-token': dnt, 'data-do-not-track': 'true' }));
  const off = newToken();
  await p2.evaluate((t) => localStorage.setItem(`aa:${t}:disabled`, 'true'), off);
  await p2.goto(h.origin + h.page('', { 'data-token': off }));
  // Without data-do-not-track the DNT header of the browser is not honoured.
  const dntIgnored = newToken();
  await p2.goto(h.origin + h.page('', { 'data-token': dntIgnored, 'data-do-not-track': 'yes' }));
  await ready(p2);
  await hide(p2);
  await until(() => eventsOf(h.hits, dntIgnored).length == 1);
  await p2.evaluate(() => (window as any).aa.identify({ toString: null }));
  assert.deepEqual([eventsOf(h.hits, dnt).length, eventsOf(h.hits, off).length], [0, 0]);
  assert.ok(!h.configRequests.includes(dnt) && !h.configRequests.includes(off));
  await ctx.close();
  await ctx2.close();
});

test('a back/forward-cache restore is a new page view; prerendered pages are skipped', async () => {
  const token = newToken();
  const { ctx, page } = await open(token);
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await hide(page);
  const views = await until(() => eventsOf(h.hits, token).length == 2 && eventsOf(h.hits, token));
  assert.deepEqual(views.map((e) => e.event), ['page_view', 'page_view']);

  const pre = newToken();
  const ctx2 = await h.newContext();
  await ctx2.addInitScript(() => Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'prerender' }));
  const p2 = await ctx2.newPage();
  await p2.goto(h.origin + h.page('', { 'data-token': pre }));
  await p2.waitForFunction(() => (window as any).aa);
  assert.equal(await p2.evaluate(() => (window as any).aa.getIdentity()), null, 'the no-op stub stays');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(hitsOf(h.hits, pre).length, 0);
  await ctx.close();
  await ctx2.close();
});

test('localhost: no network at all, calls are logged with [aa-dev], experiment() is null', async () => {
  const token = newToken();
  h.experiments.set(token, { experiments: [{ key: 'hero', variants: [{ key: 'a', weight: 100 }] }] });
  const ctx = await h.newContext();
  const page = await ctx.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const path = h.page('<p data-aa-event="x" id="x">x</p>', { 'data-token': token, 'data-track-spa': 'true' }, { head: '<script>document.documentElement.className="aa-loading"</script>' });
  await page.goto(`http://localhost:${h.port}${path}`);
  await page.waitForFunction(() => (window as any).aa && !document.documentElement.classList.contains('aa-loading'));
  const answer = await page.evaluate(() => {
    (window as any).aa.track('signup', { plan: 'pro' });
    return (window as any).aa.experiment('hero', ['a', 'b']);
  });
  await page.click('#x');
  await hide(page);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(answer, null);
  assert.ok(logs.some((l) => l.startsWith('[aa-dev] page')));
  assert.ok(logs.some((l) => l.startsWith('[aa-dev] track') && l.includes('signup')));
  assert.deepEqual(requests.map((u) => new URL(u).pathname), [path, '/tracker.js']);
  assert.equal(hitsOf(h.hits, token).length + h.configRequests.filter((t) => t == token).length, 0);
  await ctx.close();
});
