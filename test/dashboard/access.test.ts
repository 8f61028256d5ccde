// The dashboard's Access page in headless Chromium against the real server: a named key is created with the
// picked scopes and projects and shown once, then works within them through the API; the list equals
// GET /account/keys; deleting it stops it at once; an agent session approved elsewhere is listed and revoked
// here. axe-core finds no serious or critical violation; a screenshot goes to .tmp/screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { approvedSession } from '../helpers/agent-sessions.js';
import { assertAccessible, desktopContext, launchChromium } from '../browser/harness.js';

let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await startTestApp();
  base = (await t.listen()).replace('127.0.0.1', 'dash.example');
  await t.newProject(t.ownerKey, 'shop');
  await t.newProject(t.ownerKey, 'blog');
  browser = await launchChromium(['dash.example']);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const asKey = (key: string, url: string) => t.app.inject({ url, headers: { 'x-api-key': key } });

async function signedIn(): Promise<Page> {
  const page = await (await desktopContext(browser)).newPage();
  await page.goto(`${base}/app/`);
  await page.getByLabel('API key').fill(t.ownerKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('[data-view="sites"]');
  await page.getByRole('link', { name: 'Access' }).click();
  await page.waitForSelector('[data-view="access"] [data-form="create-key"]');
  return page;
}

test('a key created on the Access page holds exactly the picked scopes and projects, is shown once, and dies when deleted', async () => {
  const page = await signedIn();
  await assertAccessible(page, 'access (empty)');
  await page.getByLabel('Name', { exact: true }).fill('weekly report');
  // Read-only is preselected; add live:read, restrict to one project, expire in 30 days.
  await page.getByRole('checkbox', { name: /live:read/ }).check();
  await page.getByRole('checkbox', { name: 'shop', exact: true }).check();
  await page.getByLabel('Expires after (days)').fill('30');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('[data-new-named-key]').textContent())!;
  assert.match(key, /^aak_[0-9a-f]{48}$/);

  const listed = (await asKey(t.ownerKey, '/account/keys')).json();
  assert.equal(listed.keys.length, 1);
  const k = listed.keys[0];
  assert.deepEqual([k.name, [...k.scopes].sort(), k.projects.map((p: { name: string }) => p.name)], ['weekly report', ['analytics:read', 'live:read', 'projects:read'], ['shop']]);
  assert.ok(Date.parse(k.expires_at) - Date.now() > 29 * 86_400_000, 'expires in 30 days');
  const row = page.locator(`[data-report="keys"] tr[data-key-id="${k.id}"]`);
  assert.equal(await row.locator('td').nth(1).textContent(), k.scopes.join(', '));
  assert.equal(await row.locator('td').nth(2).textContent(), 'shop');

  assert.equal((await asKey(key, '/stats?project=shop')).statusCode, 200, 'reads the project it was given');
  assert.equal((await asKey(key, '/stats?project=blog')).statusCode, 403, 'not another project');
  assert.equal((await asKey(key, '/account/keys')).statusCode, 403, 'nor scopes it was not given');

  await page.getByRole('button', { name: 'I saved it' }).click();
  assert.equal(await page.locator('[data-new-named-key]').count(), 0, 'the key is shown only once');
  mkdirSync(resolve('.tmp/screenshots'), { recursive: true });
  await page.screenshot({ path: resolve('.tmp/screenshots/access-desktop.png'), fullPage: true });
  await assertAccessible(page, 'access');

  await row.getByRole('button', { name: 'Delete key weekly report…' }).click();
  await row.getByRole('button', { name: 'Delete weekly report' }).click();
  await page.waitForSelector('[data-view="access"] [data-report="keys"]', { state: 'detached' });
  assert.equal((await asKey(key, '/stats?project=shop')).statusCode, 401, 'a deleted key stops at once');
});

test('an agent session approved elsewhere is listed with its scopes and revoked from the page', async () => {
  const session = await approvedSession(t.app, t.ownerKey, ['analytics:read']);
  const token = session.agent_session.access_token as string;
  const page = await signedIn();
  const row = page.locator('[data-report="agent-sessions"] tbody tr');
  assert.equal(await row.count(), 1);
  assert.match((await row.textContent())!, /Test agent \(agent\).*analytics:read/);
  const bearer = () => t.app.inject({ url: '/stats?project=shop', headers: { authorization: `Bearer ${token}` } });
  assert.equal((await bearer()).statusCode, 200);
  await row.getByRole('button', { name: 'Revoke Test agent' }).click();
  await page.waitForSelector('[data-report="agent-sessions"]', { state: 'detached' });
  assert.equal((await bearer()).statusCode, 401, 'the revoked session stops at once');
});
