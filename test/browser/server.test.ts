// tracker.js end to end in a real Chromium against the real server: the app serves the script and receives
// the events; a separate page server plays the customer's site on another origin. What the browser sends is
// what ends up stored: automatic properties (browser/os/device derived by the server's client step),
// allowed_origins enforced on real CORS requests, a server-side experiment assigned, exposed and converted
// through identify.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { desktopContext, hide, launchChromium, ready, until } from './harness.js';

let t: TestApp;
let site: Server;
let browser: Browser;
let api: string;
let sitePort: number;
const pages = new Map<string, string>();

before(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  api = `http://api.example:${(t.app.server.address() as AddressInfo).port}`;
  site = createServer((req, res) => {
    const html = pages.get(new URL(req.url!, 'http://x').pathname);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html' }).end(html ?? 'not found');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  sitePort = (site.address() as AddressInfo).port;
  browser = await launchChromium(['api.example', 'site.example', 'evil.example']);
});
after(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await t?.close();
});

function sitePage(path: string, token: string, body: string): string {
  pages.set(path, `<!doctype html><html class="aa-loading"><head><title>Shop ${path}</title>` +
    `<script defer src="${api}/tracker.js" data-project="shop" data-token="${token}"></script></head><body>${body}</body></html>`);
  return path;
}

async function events(project: string): Promise<any[]> {
  const res = await t.app.inject({ url: `/events?project=${project}&limit=1000`, headers: { 'x-api-key': t.ownerKey } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().events;
}

test('page view, custom event, experiment exposure and identify arrive stored, with the automatic properties', async () => {
  const shop = await t.newProject(t.ownerKey, 'shop', `http://site.example:${sitePort}`);
  const created = await t.app.inject({
    method: 'POST', url: '/experiments', headers: { 'x-api-key': t.ownerKey },
    payload: { project: 'shop', name: 'cta', variants: ['control', 'bold'], goal_event: 'signup' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const path = sitePage('/pricing', shop.project_token, '<h1 data-aa-experiment="cta" data-aa-variant-bold="Buy now!">Buy</h1>');

  const ctx = await desktopContext(browser);
  const page: Page = await ctx.newPage();
  const script = page.waitForResponse((r) => r.url().startsWith(api + '/tracker.js'));
  await page.goto(`http://site.example:${sitePort}${path}?utm_source=news&secret=s3cr3t`);
  // Compressed on the wire (Chromium asks for gzip over plain http).
  assert.match((await script).headers()['content-encoding'] ?? '', /^(gzip|br)$/);
  await ready(page);
  await page.waitForFunction(() => !document.documentElement.classList.contains('aa-loading'));
  const variant = (await page.textContent('h1')) === 'Buy now!' ? 'bold' : 'control';
  await page.evaluate(() => {
    (window as any).aa.track('signup', { plan: 'pro' });
    (window as any).aa.identify('user-42');
  });
  await hide(page);

  const stored = await until(async () => {
    const list = await events('shop');
    return list.length >= 3 && list.every((e) => e.user_id === 'user-42') && list;
  }, 10000);
  const byName = new Map(stored.map((e: any) => [e.event, e]));
  assert.deepEqual([...byName.keys()].sort(), ['$experiment_exposure', 'page_view', 'signup']);
  const view = byName.get('page_view');
  assert.match(view.session_id, /^sess_/);
  assert.deepEqual(view.properties, {
    // Derived from the request by the server (client step), ahead of what the tracker sent.
    browser: 'Chrome', browser_version: '126', os: 'Windows', device: 'desktop',
    url: `http://site.example:${sitePort}${path}`, path, hostname: 'site.example', referrer: '', title: 'Shop /pricing',
    screen: '1920x1080', language: 'en-US', timezone: 'Europe/Berlin', session_count: 0, days_since_first_visit: 0,
    utm_source: 'news', first_utm_source: 'news', page: 'Shop /pricing',
  });
  assert.ok(!JSON.stringify(stored).includes('s3cr3t'));
  assert.deepEqual(byName.get('$experiment_exposure').properties.variant, variant);

  // The experiment's results: one exposed user who converted, in the variant the page showed.
  const id = created.json().id;
  const results = await t.app.inject({ url: `/experiments/${id}`, headers: { 'x-api-key': t.ownerKey } });
  const row = results.json().results.variants.find((v: any) => v.key === variant);
  assert.deepEqual([row.exposures, row.unique_users, row.conversions], [1, 1, 1]);
  await ctx.close();
});

test('a site outside allowed_origins is refused: nothing from it is stored', async () => {
  const other = await t.newProject(t.ownerKey, 'locked', `http://site.example:${sitePort},https://www.locked.example`);
  const ctx = await desktopContext(browser);
  const page = await ctx.newPage();
  const path = sitePage('/locked', other.project_token, '');
  pages.set(path, pages.get(path)!.replace('data-project="shop"', 'data-project="locked"'));
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/track');
  await page.goto(`http://evil.example:${sitePort}${path}`);
  await ready(page);
  await hide(page);
  // The beacon's answer is the 403 of the origin step.
  assert.equal((await refused).status(), 403);
  await page.goto(`http://site.example:${sitePort}${path}`);
  await ready(page);
  await hide(page);
  const stored = await until(async () => {
    const list = await events('locked');
    return list.length > 0 && list;
  }, 10000);
  assert.deepEqual(stored.map((e: any) => e.properties.hostname), ['site.example']);
  await ctx.close();
});
