// Issue 14 in a real browser: headless Chromium against the real server (startTestApp + listen) on a seeded
// dataset. Sign-in/out, a wrong key, expiry, a CSRF attempt, no key in JS-readable storage; every built view's
// numbers equal the API's answer for the same parameters; filters change the URL and the numbers; the live
// view shows a tracked event within 2 s; axe-core finds no serious or critical violation; screenshots of every
// view at desktop and 375 px go to .tmp/screenshots (paths printed).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventRows, type EventSpec } from '../helpers/events.js';
import { assertAccessible, DESKTOP_UA, launchChromium, until } from '../browser/harness.js';

const SHOTS = resolve('.tmp/screenshots');
const DAY = 86_400_000;

let t: TestApp;
let browser: Browser;
let base: string;
let port: number;
let shop: { id: string; name: string; project_token: string };

/** A deterministic dataset over the last 12 days: sessions with pages, referrers, UTM, devices and countries. */
function seed(now: number): EventSpec[] {
  const pages = ['/', '/pricing', '/docs', '/blog/launch', '/signup'];
  const refs = ['', 'https://www.google.com/', 'https://news.ycombinator.com/', ''];
  const browsers = ['Chrome', 'Firefox', 'Safari'];
  const oses = ['Windows', 'macOS', 'iOS', 'Android'];
  const devices = ['desktop', 'mobile', 'tablet'];
  const countries = ['DE', 'US', 'FR', 'GB', null];
  const out: EventSpec[] = [];
  let n = 0;
  for (let s = 0; s < 90; s++) {
    const user = `u${s % 37}`;
    const session = `s${s}`;
    const start = now - (s % 12) * DAY - ((s * 7919) % 20) * 3_600_000 - 60_000;
    const common = { browser: browsers[s % 3], os: oses[s % 4], device: devices[s % 3], referrer: refs[s % 4], ...(s % 5 === 0 ? { utm_source: s % 10 === 0 ? 'newsletter' : 'twitter' } : {}) };
    const views = 1 + (s % 4);
    for (let v = 0; v < views; v++) {
      out.push({ ts: start + v * 40_000, event: 'page_view', user, session, country: countries[s % 5], props: { ...common, path: pages[(s + v) % 5] } });
      n++;
    }
    if (s % 3 === 0) out.push({ ts: start + views * 40_000, event: 'signup', user, session, country: countries[s % 5], props: { ...common, path: '/signup', plan: 'pro' } });
  }
  void n;
  return out;
}

async function context(width = 1280, height = 800): Promise<BrowserContext> {
  const ctx = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width, height }, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
  await ctx.addInitScript('self.__name = (f) => f');
  return ctx;
}

async function signIn(page: Page, key = t.ownerKey): Promise<void> {
  await page.goto(`${base}/app/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('[data-view="sites"]');
}

const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await t.app.inject({ method: (init.method ?? 'GET') as 'GET', url: path, headers: { 'x-api-key': t.ownerKey }, ...(init.body ? { payload: init.body as object } : {}) });
  assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
  return res.json();
};

const axe = assertAccessible;

const shots: string[] = [];
async function shoot(page: Page, name: string): Promise<void> {
  const path = `${SHOTS}/${name}.png`;
  await page.waitForTimeout(150);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
}

const tileValues = (page: Page) => page.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-metric'), e.getAttribute('data-value')])));
const listOf = (page: Page, report: string) => page.$$eval(`[data-report="${report}"] > li`, (els) => els.map((e) => [e.getAttribute('data-value'), Number(e.getAttribute('data-count'))]));

/**
 * The chart's data table: every day of the window from /stats' period (checked), zero where /stats lists no
 * bucket; returned without the zero days, to compare with /stats' timeSeries.
 */
async function seriesOf(page: Page, stats: any): Promise<[string, number, number][]> {
  const rows = await page.$$eval('[data-report="timeSeries"] tbody tr', (els) => els.map((e) => [e.getAttribute('data-bucket')!, Number(e.getAttribute('data-events')), Number(e.getAttribute('data-users'))] as [string, number, number]));
  if (stats.period.groupBy === 'day' && rows.length) {
    assert.equal(rows[0][0], stats.period.from, 'the chart starts on the first day of the window');
    for (let i = 1; i < rows.length; i++) assert.equal(Date.parse(rows[i][0]) - Date.parse(rows[i - 1][0]), DAY, `consecutive days at ${rows[i][0]}`);
  }
  return rows.filter((r) => r[1] > 0);
}

/**
 * Every card of the overview (series, top events, each tab of each list) equals the API's answer for the
 * same window and filters; no card says it is unfiltered. `unfiltered`: /stats without filters, which the
 * filtered series must differ from.
 */
async function expectCards(page: Page, q: { since: string; filters: object[] }, unfiltered?: any): Promise<void> {
  const f = encodeURIComponent(JSON.stringify(q.filters));
  await page.waitForSelector('[data-view="overview"][data-loaded="true"]');
  const stats = await api(`/stats?project=shop&since=${q.since}&groupBy=day&filters=${f}`);
  assert.deepEqual(await seriesOf(page, stats), stats.timeSeries.map((b: any) => [b.bucket, b.total_events, b.unique_users]), 'series');
  if (unfiltered) assert.notDeepEqual(stats.timeSeries, unfiltered.timeSeries, 'the filter changed the series');
  assert.deepEqual(await listOf(page, 'events'), stats.events.map((e: any) => [e.event, e.count]), 'top events');
  const tabs: [string, string, string][] = [['Top pages', 'breakdown.path', 'path'], ['Entry', 'entry_pages', 'entry'], ['Exit', 'exit_pages', 'exit'], ['Referrers', 'breakdown.referrer', 'referrer'], ['UTM sources', 'breakdown.utm_source', 'utm_source'], ['Browsers', 'breakdown.browser', 'browser'], ['OS', 'breakdown.os', 'os'], ['Devices', 'breakdown.device', 'device']];
  for (const [tab, report, key] of tabs) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    const expected = key === 'entry' || key === 'exit'
      ? (await api(`/pages?project=shop&type=${key}&since=${q.since}&limit=10&filters=${f}`))[`${key}_pages`].map((p: any) => [p.page, p.sessions])
      : (await api(`/breakdown?project=shop&property=${key}&since=${q.since}&limit=10&filters=${f}`)).values.map((v: any) => [v.value, v.count]);
    await until(async () => JSON.stringify(await listOf(page, report)) === JSON.stringify(expected)).catch(() => {});
    assert.deepEqual(await listOf(page, report), expected, `${tab} (${report})`);
  }
  const countries = (await api(`/breakdown?project=shop&property=country&since=${q.since}&limit=10&filters=${f}`)).values.map((v: any) => [v.value, v.count]);
  assert.deepEqual(await listOf(page, 'breakdown.country'), countries, 'countries');
  assert.equal(await page.getByText('Not filtered').count(), 0);
}

describe('dashboard in Chromium', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
    base = `http://dash.example:${port}`;
    shop = await t.newProject(t.ownerKey, 'shop');
    await t.newProject(t.ownerKey, 'blog');
    await t.stores.events.insert(eventRows(shop.id, seed(Date.now())));
    browser = await launchChromium(['dash.example', 'evil.dash.example', 'other.example']);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  test('wrong key: a clear message; right key: signed in with an HttpOnly cookie and no key in JS-readable storage', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    assert.equal(new URL(page.url()).pathname, '/app/');
    await page.getByLabel('API key').fill(`aak_${'5'.repeat(48)}`);
    await shoot(page, 'sign-in-desktop');
    await axe(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const msg = await page.getByRole('alert').textContent();
    assert.match(msg!, /not valid/);
    await page.getByLabel('API key').fill(t.ownerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-view="sites"]');
    const storage = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage), cookie: document.cookie }));
    for (const [where, text] of Object.entries(storage)) {
      assert.equal(text.includes(t.ownerKey), false, `key in ${where}`);
      assert.equal(text.includes('aa_session'), false, `session in ${where}`);
    }
    const [cookie] = await ctx.cookies();
    assert.equal(cookie.name, 'aa_session');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    // Sign out ends the session server-side.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    const res = await t.app.inject({ url: '/account', headers: { cookie: `aa_session=${cookie.value}` } });
    assert.equal(res.statusCode, 401);
    await ctx.close();
  });

  test('CSRF: a same-site page on another origin cannot write with the cookie; a cross-site page does not even send it', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    const before = (await api('/projects')).projects.length;
    for (const origin of [`http://evil.dash.example:${port}`, `http://other.example:${port}`]) {
      await page.goto(`${origin}/health`);
      const status = await page.evaluate(async (target) => {
        try {
          const r = await fetch(`${target}/projects`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'pwned' }) });
          return r.status;
        } catch {
          return 'blocked';
        }
      }, base);
      assert.ok(status === 'blocked' || status === 403 || status === 401, String(status));
    }
    assert.equal((await api('/projects')).projects.length, before, 'no project was created');
    await ctx.close();
  });

  test('Sites: numbers equal /account/all-sites; creating a project shows its snippet', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.waitForSelector('[data-report="projects"]');
    const all = await api('/account/all-sites?period=7d&limit=50');
    const tiles = await tileValues(page);
    assert.equal(Number(tiles['summary.total_events']), all.summary.total_events.current);
    assert.equal(Number(tiles['summary.active_projects']), all.summary.active_projects);
    const rows = await page.$$eval('[data-report="projects"] tbody tr', (els) => els.map((e) => [e.getAttribute('data-value'), Number(e.getAttribute('data-count'))]));
    assert.deepEqual(rows, all.projects.map((p: any) => [p.name, p.events]));
    // Each project against its previous period, and its own daily sparkline.
    const perProject = await page.$$eval('[data-report="projects"] tbody tr', (els) => els.map((e) => [
      e.getAttribute('data-value'), Number(e.querySelector('[data-previous]')!.getAttribute('data-previous')),
      e.querySelector('[data-previous] [data-change-pct]')!.getAttribute('data-change-pct'), e.querySelector('[data-daily]')!.getAttribute('data-daily'),
      e.querySelectorAll('[data-daily] canvas').length,
    ]));
    assert.deepEqual(perProject, all.projects.map((p: any) => [p.name, p.previous_events, String(p.change_pct), p.daily_events.join(','), 1]));
    assert.ok(all.projects.some((p: any) => p.previous_events > 0 && p.daily_events.some((n: number) => n > 0)), 'the dataset exercises both');
    await axe(page, 'sites');
    await shoot(page, 'sites-desktop');
    await page.getByLabel('Name').fill('landing');
    await page.getByRole('button', { name: 'Create project' }).click();
    const snippet = await page.locator('[data-created="landing"] code').textContent();
    assert.match(snippet!, /data-project="landing"/);
    assert.match(snippet!, /tracker\.js/);
    await ctx.close();
  });

  test('Overview: tiles, series and lists equal the API; a click filters the view (URL and numbers); periods switch', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/app/p/shop?period=7d`);
    await page.waitForSelector('[data-source="insights"] [data-metric="total_events"][data-value]:not([data-value=""])');
    await page.waitForSelector('[data-report="timeSeries"]');
    const insights = await api('/insights?project=shop&period=7d');
    const tiles = await tileValues(page);
    for (const m of ['total_events', 'unique_users', 'total_sessions', 'bounce_rate', 'avg_duration']) assert.equal(Number(tiles[m]), insights.metrics[m].current, m);
    const pcts = await page.$$eval('[data-metric] [data-change-pct]', (els) => els.map((e) => e.getAttribute('data-change-pct')));
    assert.deepEqual(pcts, ['total_events', 'unique_users', 'total_sessions', 'bounce_rate', 'avg_duration'].map((m) => String(insights.metrics[m].change_pct)));
    const stats = await api('/stats?project=shop&since=6d&groupBy=day');
    assert.deepEqual(await seriesOf(page, stats), stats.timeSeries.map((b: any) => [b.bucket, b.total_events, b.unique_users]));
    assert.deepEqual(await listOf(page, 'events'), stats.events.map((e: any) => [e.event, e.count]));
    const expectBreakdown = async (property: string) => {
      const b = await api(`/breakdown?project=shop&property=${property}&since=6d&limit=10`);
      await page.waitForSelector(`[data-report="breakdown.${property}"]`);
      assert.deepEqual(await listOf(page, `breakdown.${property}`), b.values.map((v: any) => [v.value, v.count]), property);
    };
    await expectBreakdown('path');
    await expectBreakdown('referrer');
    assert.ok(await page.locator('[data-report="breakdown.referrer"] [data-value=""]').getByText('Direct').count(), 'direct traffic shown as Direct');
    await expectBreakdown('country');
    await expectBreakdown('browser');
    await page.getByRole('tab', { name: 'Entry' }).click();
    const pages = await api('/pages?project=shop&type=entry&since=6d&limit=10');
    await page.waitForSelector('[data-report="entry_pages"]');
    assert.deepEqual(await listOf(page, 'entry_pages'), pages.entry_pages.map((p: any) => [p.page, p.sessions]));
    await page.getByRole('tab', { name: 'UTM sources' }).click();
    await expectBreakdown('utm_source');
    await page.getByRole('tab', { name: 'OS' }).click();
    await expectBreakdown('os');
    await axe(page, 'overview');
    await shoot(page, 'overview-desktop');

    // Colour says good or bad: every tile is green when it rose, except the bounce rate, green when it fell.
    const sentiments = await page.$$eval('[data-metric] [data-sentiment]', (els) => els.map((e) => [e.closest('[data-metric]')!.getAttribute('data-metric'), e.getAttribute('data-sentiment')]));
    for (const [metric, sentiment] of sentiments) {
      const pct = insights.metrics[metric!].change_pct;
      const expected = pct === null || pct === 0 ? 'neutral' : (pct > 0) === (metric !== 'bounce_rate') ? 'good' : 'bad';
      assert.equal(sentiment, expected, `${metric} ${pct}`);
    }

    // Filter by a country: the URL carries it and EVERY card re-scopes to the API's answer with that filter.
    await page.locator('[data-report="breakdown.country"] [data-value="DE"] button').click();
    await page.waitForURL(/f=country%3ADE/);
    await page.waitForSelector('[data-source="query"] [data-metric="event_count"][data-value]:not([data-value=""])');
    const de = [{ field: 'country', op: 'eq', value: 'DE' }];
    const filtered = await api('/query', { method: 'POST', body: { project: 'shop', metrics: ['event_count', 'unique_users', 'session_count', 'bounce_rate', 'avg_duration'], filters: de, date_from: insights.current_period.from, date_to: insights.current_period.to } });
    const ft = await tileValues(page);
    for (const m of ['event_count', 'unique_users', 'session_count', 'bounce_rate', 'avg_duration']) assert.equal(Number(ft[m]), filtered.rows[0][m], `filtered ${m}`);
    assert.ok(filtered.rows[0].event_count < insights.metrics.total_events.current, 'the filter changed the numbers');
    assert.equal(await page.locator('[data-filter="country:DE"]').count(), 1);
    await expectCards(page, { since: '6d', filters: de }, stats);
    await shoot(page, 'overview-filtered-desktop');

    // A second chip (a page) narrows every card again; entry pages filter too.
    await page.getByRole('tab', { name: 'Top pages' }).click();
    await page.locator('[data-report="breakdown.path"] [data-value="/pricing"] button').click();
    await page.waitForURL(/f=path%3A%2Fpricing/);
    await page.waitForSelector('[data-view="overview"][data-loaded="true"]');
    await expectCards(page, { since: '6d', filters: [...de, { field: 'properties.path', op: 'eq', value: '/pricing' }] }, stats);
    await page.goBack();
    await page.goBack();
    await page.waitForSelector('[data-source="insights"]');
    // Period: today → /insights?period=1d and an hourly series.
    await page.locator('#period').selectOption('today');
    await page.waitForURL(/period=today/);
    await page.waitForSelector('[data-source="insights"]');
    const today = await api('/insights?project=shop&period=1d');
    await until(async () => Number((await tileValues(page)).total_events) === today.metrics.total_events.current);

    // A custom range with an end date: kept in the URL; tiles from /query over exactly that range, the
    // other cards from the reads with `since` = start and a `date ≤ end` filter.
    const from = new Date(Date.now() - 9 * DAY).toISOString().slice(0, 10);
    const to = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10);
    await page.goto(`${base}/app/p/shop?period=custom&from=${from}`);
    await page.waitForSelector('#period-to');
    await page.locator('#period-to').fill(to);
    await page.waitForURL(new RegExp(`to=${to}`));
    await page.waitForSelector('[data-view="overview"][data-loaded="true"]');
    const range = await api('/query', { method: 'POST', body: { project: 'shop', metrics: ['event_count', 'unique_users', 'session_count', 'bounce_rate', 'avg_duration'], date_from: from, date_to: to } });
    const rt = await tileValues(page);
    for (const m of ['event_count', 'unique_users', 'session_count']) assert.equal(Number(rt[m]), range.rows[0][m], `custom range ${m}`);
    await expectCards(page, { since: from, filters: [{ field: 'date', op: 'lte', value: to }] });
    await page.reload();
    await page.waitForSelector('[data-view="overview"][data-loaded="true"]');
    assert.equal(await page.locator('#period-to').inputValue(), to, 'the end date survives a reload');
    await ctx.close();
  });

  test('Live: visitors now equal /live, and an event sent with POST /track appears within 2 s', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/app/p/shop/live`);
    await page.waitForSelector('[data-stream="open"]');
    const res = await t.app.inject({ method: 'POST', url: '/track', headers: { 'user-agent': DESKTOP_UA }, payload: { token: shop.project_token, event: 'live_check', user_id: 'live-user', session_id: 'live-s', properties: { path: '/live-page' } } });
    assert.equal(res.statusCode, 202);
    const sent = Date.now();
    await page.waitForSelector('[data-report="stream"] [data-event="live_check"]', { timeout: 2000 });
    assert.ok(Date.now() - sent < 2000);
    await page.reload();
    await page.waitForSelector('[data-metric="active_visitors"][data-value]:not([data-value=""])');
    const live = await api('/live?project=shop&window=300');
    assert.equal(Number((await tileValues(page)).active_visitors), live.active_visitors);
    await axe(page, 'live');
    await shoot(page, 'live-desktop');
    await ctx.close();
  });

  test('Heatmap, Retention, Funnels, Experiments, Bot traffic, Settings: numbers equal the API, accessible, screenshots', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/app/p/shop/heatmap?period=30d`);
    await page.waitForSelector('[data-report="heatmap"]');
    const heat = await api('/heatmap?project=shop&since=29d');
    const cells = await page.$$eval('[data-report="heatmap"] td[data-value]:not([data-value="0"])', (els) => els.map((e) => [Number(e.getAttribute('data-day')), Number(e.getAttribute('data-hour')), Number(e.getAttribute('data-value'))]));
    assert.deepEqual(cells, heat.heatmap.map((c: any) => [c.day, c.hour, c.events]));
    await axe(page, 'heatmap');
    await shoot(page, 'heatmap-desktop');

    await page.goto(`${base}/app/p/shop/retention`);
    await page.waitForSelector('[data-report="cohorts"]');
    const ret = await api('/retention?project=shop&period=week&cohorts=8');
    const cohorts = await page.$$eval('[data-report="cohorts"] tr[data-cohort]', (els) => els.map((e) => [e.getAttribute('data-cohort'), Number(e.getAttribute('data-users'))]));
    assert.deepEqual(cohorts, ret.cohorts.map((c: any) => [c.date, c.users]));
    await axe(page, 'retention');
    await shoot(page, 'retention-desktop');

    await page.goto(`${base}/app/p/shop/funnels?steps=page_view,signup&since=30d`);
    await page.waitForSelector('[data-report="steps"]');
    const funnel = await api('/funnel', { method: 'POST', body: { project: 'shop', steps: [{ event: 'page_view' }, { event: 'signup' }], since: '30d' } });
    assert.deepEqual(await listOf(page, 'steps'), funnel.steps.map((s: any) => [s.event, s.users]));
    // The builder: a property filter on step 1, a conversion window and a breakdown, through the form and the URL.
    await page.getByRole('button', { name: 'Add a property filter to step 1' }).click();
    await page.locator('#sf-0-0-p').fill('path');
    await page.locator('#sf-0-0-o').selectOption('contains');
    await page.locator('#sf-0-0-v').fill('PRIC');
    await page.locator('#funnel-window').selectOption('24');
    await page.locator('#funnel-breakdown').selectOption('country');
    await page.getByRole('button', { name: 'Show funnel' }).click();
    await page.waitForURL(/breakdown=country/);
    assert.match(page.url(), /sf=0%3Acontains%3Apath%3APRIC/);
    assert.match(page.url(), /window=24/);
    await page.waitForSelector('[data-report="breakdowns"]');
    const built = await api('/funnel', { method: 'POST', body: { project: 'shop', since: '30d', conversion_window_hours: 24, steps: [{ event: 'page_view', filters: [{ property: 'path', op: 'contains', value: 'PRIC' }] }, { event: 'signup' }], breakdown: 'country', breakdown_limit: 10 } });
    assert.notEqual(built.steps[0].users, funnel.steps[0].users, 'the step filter changed the funnel');
    const steps = await page.$$eval('[data-report="steps"] > li', (els) => els.map((e) => [e.getAttribute('data-value'), Number(e.getAttribute('data-count')), Number(e.getAttribute('data-drop-off-rate'))]));
    assert.deepEqual(steps, built.steps.map((s: any) => [s.event, s.users, s.drop_off_rate]));
    assert.ok(built.steps[1].drop_off_rate > 0, 'the dataset drops people between the steps');
    const groups = await page.$$eval('[data-report="breakdowns"] tbody tr', (els) => els.map((e) => [e.getAttribute('data-value'), Number(e.getAttribute('data-count')), Number(e.getAttribute('data-overall'))]));
    assert.deepEqual(groups, built.breakdowns.map((b: any) => [b.value ?? '', b.steps[0].users, b.overall_conversion_rate]));
    await page.reload();
    await page.waitForSelector('[data-report="breakdowns"]');
    assert.equal(await page.locator('#sf-0-0-v').inputValue(), 'PRIC', 'the builder comes back from the URL');
    await axe(page, 'funnels');
    await shoot(page, 'funnels-desktop');

    // Experiments: create one, results equal the API, pause it, complete it with a winner.
    await page.goto(`${base}/app/p/shop/experiments`);
    await page.waitForSelector('[data-view="experiments"] .empty');
    await axe(page, 'experiments (empty)');
    await page.locator('#exp-name').fill('cta_test');
    await page.locator('#exp-goal').fill('signup');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForSelector('[data-report="experiments"] [data-status="active"]');
    await page.waitForURL(/id=exp_/);
    const [exp] = (await api('/experiments?project=shop')).experiments;
    assert.equal(exp.name, 'cta_test');
    assert.deepEqual(exp.variants.map((v: any) => v.key), ['control', 'variant_b']);
    const exposures: EventSpec[] = [];
    for (let i = 0; i < 40; i++) {
      const variant = i % 2 ? 'variant_b' : 'control';
      exposures.push({ ts: Date.now() + 1000, event: '$experiment_exposure', user: `e${i}`, session: `es${i}`, props: { experiment: 'cta_test', variant } });
      if (i % (variant === 'control' ? 5 : 3) === 0) exposures.push({ ts: Date.now() + 2000, event: 'signup', user: `e${i}`, session: `es${i}`, props: {} });
    }
    await t.stores.events.insert(eventRows(shop.id, exposures));
    await page.reload();
    await page.waitForSelector('[data-report="results.variants"]');
    const detail = await api(`/experiments/${exp.id}`);
    const variants = await page.$$eval('[data-report="results.variants"] tbody tr', (els) => els.map((e) => [e.getAttribute('data-value'), Number(e.getAttribute('data-count')), Number(e.getAttribute('data-probability-best'))]));
    assert.deepEqual(variants, detail.results.variants.map((v: any) => [v.key, v.unique_users, detail.results.probability_best[v.key]]));
    assert.equal(await page.locator('[data-metric="recommendation"]').getAttribute('data-value'), detail.results.recommendation);
    assert.ok(detail.results.variants[1].conversions > 0);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForSelector('[data-report="experiments"] [data-status="paused"]');
    assert.equal((await api(`/experiments/${exp.id}`)).status, 'paused');
    await page.locator('#exp-winner').selectOption('variant_b');
    await page.getByRole('button', { name: 'Complete experiment' }).click();
    await page.waitForSelector('[data-metric="winner"][data-value="variant_b"]');
    const done = await api(`/experiments/${exp.id}`);
    assert.equal(done.status, 'completed');
    assert.equal(done.winner, 'variant_b');
    await axe(page, 'experiments');
    await shoot(page, 'experiments-desktop');

    await page.goto(`${base}/app/p/shop/bots`);
    await page.waitForSelector('[data-metric="summary.automated_requests"]');
    const bots = await api('/bot-traffic?project=shop&period=7d&limit=10');
    assert.equal(Number((await tileValues(page))['summary.automated_requests']), bots.summary.automated_requests.current);
    await axe(page, 'bots');
    await shoot(page, 'bots-desktop');

    await page.goto(`${base}/app/p/shop/settings`);
    await page.waitForSelector('[data-snippet]');
    assert.equal(await page.locator('[data-token]').textContent(), shop.project_token);
    await axe(page, 'settings');
    await shoot(page, 'settings-desktop');
    await ctx.close();
  });

  test('375 px wide and dark: every view renders without horizontal overflow and stays accessible', async () => {
    const ctx = await context(375, 740);
    const page = await ctx.newPage();
    await signIn(page);
    const views: [string, string][] = [['sites', '/app/'], ['overview', '/app/p/shop'], ['live', '/app/p/shop/live'], ['heatmap', '/app/p/shop/heatmap?period=30d'], ['retention', '/app/p/shop/retention'], ['funnels', '/app/p/shop/funnels?steps=page_view,signup&sf=0%3Aeq%3Apath%3A%2Fpricing&breakdown=country'], ['experiments', '/app/p/shop/experiments'], ['bots', '/app/p/shop/bots'], ['settings', '/app/p/shop/settings'], ['access', '/app/access']];
    for (const [name, url] of views) {
      await page.goto(base + url);
      await page.waitForSelector(`[data-view="${name}"]`);
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForTimeout(200);
      await shoot(page, `${name}-375`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${name} overflows by ${overflow}px at 375 px`);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, url] of [views[1], views[0]]) {
      await page.goto(base + url);
      await page.waitForSelector(`[data-view="${name}"]`);
      await page.waitForTimeout(300);
      await axe(page, `${name} dark`);
      await shoot(page, `${name}-375-dark`);
    }
    await ctx.close();
  });
});

describe('dashboard session expiry in the browser', () => {
  let t2: TestApp;
  let b2: Browser;
  before(async () => {
    t2 = await startTestApp({ AA_DASHBOARD_SESSION_TTL: '2' });
    await t2.newProject(t2.ownerKey, 'site');
    await t2.app.listen({ port: 0, host: '127.0.0.1' });
    b2 = await launchChromium(['dash.example']);
  });
  after(async () => {
    await b2?.close();
    await t2?.close();
  });

  test('after the TTL the next request shows the sign-in form with a notice', async () => {
    const p2 = (t2.app.server.address() as { port: number }).port;
    const ctx = await b2.newContext({ userAgent: DESKTOP_UA });
    const page = await ctx.newPage();
    await page.goto(`http://dash.example:${p2}/app/`);
    await page.getByLabel('API key').fill(t2.ownerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-view="sites"]');
    await page.waitForTimeout(2200);
    await page.getByRole('link', { name: 'site', exact: true }).click();
    await page.getByLabel('API key').waitFor({ timeout: 5000 });
    assert.match((await page.getByRole('status').first().textContent())!, /session has ended/);
    await ctx.close();
  });
});
