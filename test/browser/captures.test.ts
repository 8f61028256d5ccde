// The opt-in captures of §3.1 in a real Chromium, against the served /tracker.js: every capture is compiled in,
// and its official attribute (data-track-*, data-heartbeat) switches it on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { eventsOf, hide, newToken, ready, startHarness, until, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

interface Opts {
  head?: string;
  status?: number;
  query?: string;
  /** Runs in the page before any of its scripts. */
  init?: () => void;
}

async function open(token: string, body: string, attrs: Record<string, string>, opts: Opts = {}): Promise<{ ctx: BrowserContext; page: Page; path: string }> {
  const ctx = await h.newContext();
  if (opts.init) await ctx.addInitScript(opts.init);
  const page = await ctx.newPage();
  const path = h.page(body, { 'data-token': token, ...attrs }, opts);
  await page.goto(h.origin + path + (opts.query || ''));
  await ready(page);
  // Keep the page: no link navigation, no form submission (the tracker listens in the capture phase, before).
  await page.evaluate(() => {
    document.addEventListener('click', (e) => (e.target as Element).closest('a') && e.preventDefault());
    document.addEventListener('submit', (e) => e.preventDefault());
  });
  return { ctx, page, path };
}

const others = (token: string) => eventsOf(h.hits, token).filter((e) => e.event != 'page_view');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Heartbeat timers (15 s steps) are kept in window.beats instead of running: the test calls them. */
function catchBeats(): void {
  const w = window as any;
  const real = w.setInterval;
  w.beats = [];
  w.setInterval = (f: () => void, ms: number) => (ms == 15000 ? w.beats.push(f) : real(f, ms));
}

/** A button whose click handler keeps the main thread busy for 80 ms: one interaction INP must see. */
const SLOW_BUTTON = '<button id="slow" onclick="for (const t = performance.now(); performance.now() - t < 80; );">slow</button>';

test('outgoing links, clicks and downloads', async () => {
  const token = newToken();
  const body =
    '<a id="out" class="ext big" href="https://news.example.org/a/b?utm=1#x">news</a>' +
    '<a id="pdf" href="/files/Report.PDF?v=2">report</a>' +
    '<a id="mail" href="mailto:jane@example.com">mail</a>' +
    '<button id="buy" type="submit" class="primary">Buy</button>' +
    '<button id="plain">Plain</button>' +
    '<div data-aa-event="promo"><a id="inside" href="https://x.example.org/">inside</a><button id="in-btn">in</button></div>';
  const attrs = { 'data-track-outgoing': 'true', 'data-track-downloads': 'true', 'data-track-clicks': 'true' };
  const { ctx, page } = await open(token, body, attrs);
  for (const id of ['#out', '#pdf', '#mail', '#buy', '#plain', '#inside', '#in-btn']) await page.click(id);
  await hide(page);
  const events = await until(() => others(token).length >= 8 && others(token));
  await sleep(100);
  assert.equal(others(token).length, 8);
  assert.deepEqual(
    events.map((e) => [e.event, pick(e.properties)]),
    [
      ['outgoing_link', { href: 'https://news.example.org/a/b', hostname: 'news.example.org' }],
      ['$click', { tag: 'a', id: 'out', classes: 'ext big', href: 'https://news.example.org/a/b', is_external: true }],
      ['$click', { tag: 'a', id: 'pdf', classes: '', href: h.origin + '/files/Report.PDF', is_external: false }],
      ['$download', { href: h.origin + '/files/Report.PDF', filename: 'Report.PDF', extension: 'pdf' }],
      // mailto: is no click; a button reports its type (submit by default), never an href.
      ['$click', { tag: 'button', id: 'buy', classes: 'primary', type: 'submit' }],
      ['$click', { tag: 'button', id: 'plain', classes: '', type: 'submit' }],
      // Inside [data-aa-event] only the declared event.
      ['promo', {}],
      ['promo', {}],
    ],
  );
  await ctx.close();
});

/** The capture-specific properties (automatic ones removed). */
function pick(p: Record<string, any>): Record<string, any> {
  const auto = ['url', 'path', 'hostname', 'referrer', 'title', 'screen', 'language', 'timezone', 'session_count', 'days_since_first_visit'];
  const out: Record<string, any> = {};
  for (const k in p) if (!auto.includes(k) || (k == 'hostname' && p[k] != 'test.example')) out[k] = p[k];
  return out;
}

test('form submissions: no field values, invalid and declarative forms skipped', async () => {
  const token = newToken();
  const body =
    '<form id="signup" name="signup" class="f" action="/submit?next=/home" method="post"><input name="name" value="Jane Secret"><input id="action" name="action" value="x"><button id="send">Send</button></form>' +
    '<form id="bad" novalidate><input name="q" required><button id="send-bad">Send</button></form>' +
    '<form id="tagged" data-aa-event="newsletter" data-aa-event-list="weekly"><button id="send-tagged">Send</button></form>';
  const { ctx, page } = await open(token, body, { 'data-track-forms': 'true' });
  for (const id of ['#send', '#send-bad', '#send-tagged']) await page.click(id);
  await hide(page);
  const events = await until(() => others(token).length >= 2 && others(token));
  assert.deepEqual(
    events.map((e) => [e.event, pick(e.properties)]),
    [
      ['$form_submit', { id: 'signup', name: 'signup', action: h.origin + '/submit', method: 'POST', classes: 'f' }],
      ['newsletter', { list: 'weekly' }],
    ],
  );
  assert.ok(!JSON.stringify(events).includes('Jane'));
  await ctx.close();
});

test('errors: redacted, de-duplicated, at most 5 per page', async () => {
  const token = newToken();
  // An inline script: its errors carry the page URL (with query) as their source.
  const script = `<script>function boom(m) { setTimeout(function () { throw new Error(m); }); }</script>`;
  const { ctx, page, path } = await open(token, script, { 'data-track-errors': 'true' }, { query: '?session=s3cr3t' });
  await page.evaluate(() => {
    const boom = (window as any).boom;
    boom('failed for jane@example.com at https://api.example.com/v1/u?key=abc');
    boom('failed for jane@example.com at https://api.example.com/v1/u?key=abc');
    for (let i = 0; i < 6; i++) boom('error number ' + i);
  });
  await new Promise((r) => setTimeout(r, 300));
  await hide(page);
  const events = await until(() => others(token).length >= 5 && others(token));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(others(token).length, 5);
  const first = pick(events[0].properties);
  assert.deepEqual(first, { message: 'Uncaught Error: failed for [redacted] at https://api.example.com/v1/u', source: h.origin + path, line: 1, col: first.col });
  assert.ok((first.col as number) > 0);
  assert.deepEqual(events.slice(1).map((e) => e.properties.message), [0, 1, 2, 3].map((i) => 'Uncaught Error: error number ' + i));
  assert.ok(!JSON.stringify(events).includes('s3cr3t'));
  await ctx.close();
});

test('unhandled rejections are errors too', async () => {
  const token = newToken();
  const { ctx, page } = await open(token, '', { 'data-track-errors': 'true' });
  await page.evaluate(() => {
    Promise.reject(new Error('rejected 123e4567-e89b-12d3-a456-426614174000'));
    Promise.reject('plain reason');
  });
  await new Promise((r) => setTimeout(r, 200));
  await hide(page);
  const events = await until(() => others(token).length >= 2 && others(token));
  assert.deepEqual(events.map((e) => e.properties.message), ['rejected [redacted]', 'plain reason']);
  await ctx.close();
});

test('404 pages: by meta tag and by navigation status', async () => {
  const token = newToken();
  const attrs = { 'data-track-404': 'true' };
  const byMeta = await open(token, '<h1>Gone</h1>', attrs, { head: '<meta name="aa-status" content="404">' });
  const byStatus = await open(token, '<h1>Gone</h1>', attrs, { status: 404 });
  const fine = await open(token, '<h1>Here</h1>', attrs);
  for (const o of [byMeta, byStatus, fine]) await hide(o.page);
  await until(() => others(token).length >= 2);
  await sleep(200);
  // The official shape: path, referrer and title (here the automatic properties of the same names).
  assert.deepEqual(
    others(token).map((e) => [e.event, e.properties.path, e.properties.referrer, e.properties.title]),
    [
      ['$404', byMeta.path, '', 'Page ' + byMeta.path.slice(3)],
      ['$404', byStatus.path, '', 'Page ' + byStatus.path.slice(3)],
    ],
  );
  for (const o of [byMeta, byStatus, fine]) await o.ctx.close();
});

test('time on page, scroll depth, performance and web vitals are reported when the page is hidden', async () => {
  const token = newToken();
  // data-heartbeat="5" counts in steps of 15 s, the minimum.
  const attrs = { 'data-heartbeat': '5', 'data-track-scroll-depth': 'true', 'data-track-performance': 'true', 'data-track-vitals': 'true' };
  const body = '<h1 id="top">Speed</h1><div style="height:1440px">' + SLOW_BUTTON + '</div>';
  const { ctx, page, path } = await open(token, body, attrs, { init: catchBeats });
  // A layout shift without recent input: the heading grows and pushes the rest down.
  await page.evaluate(() => ((document.getElementById('top') as HTMLElement).style.paddingTop = '200px'));
  await sleep(100);
  await page.click('#slow');
  const height = await page.evaluate(() => {
    (window as any).beats[0]();
    (window as any).beats[0]();
    window.scrollTo(0, 360);
    return document.documentElement.scrollHeight;
  });
  await sleep(200);
  await hide(page);
  const events = await until(() => others(token).length >= 4 && others(token));
  const by = Object.fromEntries(events.map((e) => [e.event, e.properties]));
  assert.deepEqual(Object.keys(by).sort(), ['$performance', '$scroll_depth', '$time_on_page', '$web_vitals']);
  assert.deepEqual([by.$time_on_page.time_on_page, by.$time_on_page.path], [30, path]);
  assert.deepEqual([by.$scroll_depth.scroll_depth, by.$scroll_depth.path], [Math.round(((360 + 720) / height) * 100), path]);
  const perf = pick(by.$performance);
  assert.deepEqual(Object.keys(perf), ['perf_dns', 'perf_tcp', 'perf_ttfb', 'perf_dom_interactive', 'perf_dom_complete', 'perf_load']);
  assert.ok(Object.values(perf).every((v) => Number.isInteger(v) && (v as number) >= 0), JSON.stringify(perf));
  assert.ok(perf.perf_load >= perf.perf_dom_complete && perf.perf_dom_complete >= perf.perf_dom_interactive, JSON.stringify(perf));
  assert.equal(by.$performance.path, path);
  const vitals = pick(by.$web_vitals);
  assert.deepEqual(Object.keys(vitals), ['cwv_lcp', 'cwv_cls', 'cwv_inp']);
  assert.equal(by.$web_vitals.path, path);
  assert.ok(Number.isInteger(vitals.cwv_lcp) && (vitals.cwv_lcp as number) > 0, JSON.stringify(vitals));
  assert.ok((vitals.cwv_cls as number) > 0 && vitals.cwv_cls == +(vitals.cwv_cls as number).toFixed(3), JSON.stringify(vitals));
  assert.ok((vitals.cwv_inp as number) >= 80, JSON.stringify(vitals));
  // Hidden again without news: nothing more (vitals once per page, time and scroll only when they grew).
  await hide(page);
  await sleep(200);
  assert.equal(others(token).length, 4);
  await ctx.close();
});

test('SPA navigation reports the old page\'s time and vitals, then checks the new page for a 404', async () => {
  const token = newToken();
  const attrs = { 'data-track-spa': 'true', 'data-heartbeat': '15', 'data-track-vitals': 'true', 'data-track-404': 'true' };
  const { ctx, page, path } = await open(token, '<h1>App</h1>' + SLOW_BUTTON, attrs, { init: catchBeats });
  await page.click('#slow');
  await sleep(100);
  await page.evaluate(() => {
    (window as any).beats[0]();
    const meta = document.createElement('meta');
    meta.name = 'aa-status';
    meta.content = '404';
    document.head.append(meta);
    history.pushState({}, '', '/app/missing?id=1');
  });
  // On the new page: no new LCP, no shift, one slow interaction; then the tab is hidden.
  await page.click('#slow');
  await sleep(100);
  await hide(page);
  const events = await until(() => others(token).length >= 4 && others(token));
  await sleep(200);
  assert.equal(others(token).length, 4);
  assert.deepEqual(
    events.map((e) => [e.event, e.properties.path, Object.keys(pick(e.properties))]),
    [
      ['$time_on_page', path, ['time_on_page']],
      ['$web_vitals', path, ['cwv_lcp', 'cwv_cls', 'cwv_inp']],
      ['$404', '/app/missing', []],
      // A vital not measured on a page is left out, as the official tracker does.
      ['$web_vitals', '/app/missing', ['cwv_cls', 'cwv_inp']],
    ],
  );
  await ctx.close();
});

test('each capture stays off unless asked for exactly', async () => {
  const token = newToken();
  const attrs = { 'data-track-clicks': 'TRUE', 'data-track-404': 'yes', 'data-track-performance': '1', 'data-track-vitals': 'True', 'data-heartbeat': 'off' };
  const body = '<h1>Off</h1><a id="a" href="/x">a</a>' + SLOW_BUTTON;
  const { ctx, page } = await open(token, body, attrs, { head: '<meta name="aa-status" content="404">', init: catchBeats });
  await page.click('#a');
  await page.click('#slow');
  await sleep(200);
  assert.equal(await page.evaluate(() => (window as any).beats.length), 0);
  await hide(page);
  await until(() => eventsOf(h.hits, token).length >= 1);
  await sleep(200);
  assert.deepEqual(eventsOf(h.hits, token).map((e) => e.event), ['page_view']);
  await ctx.close();
});
