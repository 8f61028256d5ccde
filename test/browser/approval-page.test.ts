// The agent-session approval page in headless Chromium: axe-core finds no serious or critical violation on the
// sign-in form, the approved page or the 404 page, in light and dark, at 375 px; keyboard alone can approve.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { assertAccessible, DESKTOP_UA, launchChromium } from './harness.js';

let t: TestApp;
let url: string;
let browser: Browser;

before(async () => {
  t = await startTestApp();
  url = await t.listen();
  browser = await launchChromium([]);
});
after(async () => {
  await browser.close();
  await t.close();
});

const axe = assertAccessible;

const start = async () => (await (await fetch(`${url}/agent-sessions/start`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'detached', client_type: 'mcp', client_name: 'Inspector', scopes: ['analytics:read', 'live:read'] }),
})).json()) as { authorize_url: string; auth_request_id: string; poll_token: string };

for (const colorScheme of ['light', 'dark'] as const) {
  test(`accessible in ${colorScheme} at 375 px, approvable by keyboard alone`, async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_UA, colorScheme, viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    const started = await start();
    await page.goto(started.authorize_url);
    await axe(page, 'form');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no horizontal scroll at 375 px');
    // The two requested scopes are ticked boxes first; Space unticks live:read, the grant narrows to analytics:read.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'scope_live:read');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.ownerKey);
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/authorize/), page.keyboard.press('Enter')]);
    await page.getByText('Access approved').waitFor();
    await axe(page, 'approved');
    const polled = await (await fetch(`${url}/agent-sessions/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_request_id: started.auth_request_id, poll_token: started.poll_token }) })).json();
    assert.equal(polled.status, 'approved');
    const exchanged = await (await fetch(`${url}/agent-sessions/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_request_id: started.auth_request_id, exchange_code: polled.exchange_code }) })).json();
    assert.deepEqual(exchanged.agent_session.scopes, ['analytics:read'], 'the unticked scope was not granted');
    const missing = await page.goto(`${url}/agent-sessions/authorize/areq_aaaaaaaaaaaaaaaaaaaaaaaa`);
    assert.equal(missing?.status(), 404);
    await axe(page, '404');
    await context.close();
  });
}
