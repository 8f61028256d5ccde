// The opt-in captures of §3.1 in a real Chromium, against the served /tracker.js (the data-track-* attributes
// switch them on), and the recipes in examples/tracker-recipes/ that send the captures left out of tracker.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { eventsOf, hide, newToken, ready, startHarness, until, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function open(token: string, body: string, attrs: Record<string, string>, opts: { head?: string; status?: number; query?: string } = {}): Promise<{ ctx: BrowserContext; page: Page; path: string }> {
  const ctx = await h.newContext();
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

/** A recipe as the docs tell sites to paste it: an inline script. */
const recipe = (name: string): string => `<script>${readFileSync(new URL(`../../examples/tracker-recipes/${name}.js`, import.meta.url), 'utf8')}</script>`;

const others = (token: string) => eventsOf(h.hits, token).filter((e) => e.event != 'page_view');

test('outgoing links and downloads; $click from the clicks recipe', async () => {
  const token = newToken();
  const body =
    '<a id="out" class="ext big" href="https://news.example.org/a/b?utm=1#x">news</a>' +
    '<a id="pdf" href="/files/Report.PDF?v=2">report</a>' +
    '<a id="mail" href="mailto:jane@example.com">mail</a>' +
    '<button id="buy" type="submit" class="primary">Buy</button>' +
    '<div data-aa-event="promo"><a id="inside" href="https://x.example.org/">inside</a></div>';
  const { ctx, page } = await open(token, body, { 'data-track-outgoing': 'true', 'data-track-downloads': 'true' }, { head: recipe('clicks') });
  for (const id of ['#out', '#pdf', '#mail', '#buy', '#inside']) await page.click(id);
  await hide(page);
  const events = await until(() => others(token).length >= 6 && others(token));
  assert.deepEqual(
    events.map((e) => [e.event, pick(e.properties)]),
    [
      // The recipe's listener was added before the tracker's (inline scripts run before deferred ones).
      ['$click', { tag: 'a', id: 'out', classes: 'ext big', href: 'https://news.example.org/a/b', is_external: true }],
      ['outgoing_link', { href: 'https://news.example.org/a/b', hostname: 'news.example.org' }],
      ['$click', { tag: 'a', id: 'pdf', classes: '', href: h.origin + '/files/Report.PDF', is_external: false }],
      ['$download', { href: h.origin + '/files/Report.PDF', filename: 'Report.PDF', extension: 'pdf' }],
      ['$click', { tag: 'button', id: 'buy', classes: 'primary', type: 'submit' }],
      ['promo', {}],
    ],
  );
  await ctx.close();
});

/** The capture-specific properties (automatic ones removed). */
function pick(p: Record<string, unknown>): Record<string, unknown> {
  const auto = ['url', 'path', 'hostname', 'referrer', 'title', 'screen', 'language', 'timezone', 'session_count', 'days_since_first_visit'];
  const out: Record<string, unknown> = {};
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

test('the 404 recipe: by meta tag and by navigation status', async () => {
  const token = newToken();
  const byMeta = await open(token, '<h1>Gone</h1>', {}, { head: '<meta name="aa-status" content="404">' + recipe('404') });
  const byStatus = await open(token, '<h1>Gone</h1>', {}, { status: 404, head: recipe('404') });
  const fine = await open(token, '<h1>Here</h1>', {}, { head: recipe('404') });
  for (const o of [byMeta, byStatus, fine]) await hide(o.page);
  const events = await until(() => others(token).length >= 2 && others(token));
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    others(token).map((e) => [e.event, e.properties.path, e.properties.referrer, e.properties.title]),
    [
      ['$404', byMeta.path, '', events[0].properties.title],
      ['$404', byStatus.path, '', events[1].properties.title],
    ],
  );
  for (const o of [byMeta, byStatus, fine]) await o.ctx.close();
});

test('scroll depth, and the time-on-page, performance and web-vitals recipes, are reported when the page is hidden', async () => {
  const token = newToken();
  const ctx = await h.newContext();
  await ctx.addInitScript(() => {
    const w = window as any;
    const real = w.setInterval;
    w.beats = [];
    w.setInterval = (f: () => void, ms: number) => (ms == 15000 ? w.beats.push(f) : real(f, ms));
  });
  const page = await ctx.newPage();
  const attrs = { 'data-token': token, 'data-track-scroll-depth': 'true' };
  const head = recipe('time-on-page') + recipe('performance') + recipe('web-vitals');
  await page.goto(h.origin + h.page('<div style="height:1440px"><button id="b">b</button></div>', attrs, { head }));
  await ready(page);
  await page.click('#b');
  await page.evaluate(() => {
    (window as any).beats[0]();
    (window as any).beats[0]();
    window.scrollTo(0, 360);
  });
  await new Promise((r) => setTimeout(r, 200));
  await hide(page);
  const events = await until(() => others(token).length >= 4 && others(token));
  const by = Object.fromEntries(events.map((e) => [e.event, pick(e.properties)]));
  assert.deepEqual(by.$time_on_page, { time_on_page: 30 });
  assert.deepEqual(by.$scroll_depth, { scroll_depth: Math.round(((360 + 720) / 1456) * 100) });
  assert.deepEqual(Object.keys(by.$performance), ['perf_dns', 'perf_tcp', 'perf_ttfb', 'perf_dom_interactive', 'perf_dom_complete', 'perf_load']);
  assert.ok(Object.values(by.$performance).every((v) => Number.isInteger(v) && (v as number) >= 0));
  assert.deepEqual(Object.keys(by.$web_vitals), ['cwv_lcp', 'cwv_cls', 'cwv_inp']);
  // Hidden again without news: nothing more.
  await hide(page);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(others(token).length, 4);
  await ctx.close();
});
