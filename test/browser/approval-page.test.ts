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
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
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
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.ownerKey);
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/authorize/), page.keyboard.press('Enter')]);
    await page.getByText('Access approved').waitFor();
    await axe(page, 'approved');
    const polled = await (await fetch(`${url}/agent-sessions/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_request_id: started.auth_request_id, poll_token: started.poll_token }) })).json();
    assert.equal(polled.status, 'approved');
    const missing = await page.goto(`${url}/agent-sessions/authorize/areq_aaaaaaaaaaaaaaaaaaaaaaaa`);
    assert.equal(missing?.status(), 404);
    await axe(page, '404');
    await context.close();
  });
}
