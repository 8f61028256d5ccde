// /docs in real headless Chromium: the API reference loads /openapi.json and renders the endpoint list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../browser/harness.js';

let t: TestApp;
let url: string;
let browser: Browser;
before(async () => {
  t = await startTestApp();
  url = await t.listen();
  browser = await launchChromium([]);
});
after(async () => {
  await browser?.close();
  await t.close();
});

test('/docs serves the reference page and its script locally', async () => {
  const redirect = await t.app.inject('/docs');
  assert.equal(redirect.statusCode, 301);
  assert.equal(redirect.headers.location, '/docs/');
  const page = await t.app.inject('/docs/');
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(page.body, /<title>Agent Analytics API reference<\/title>/);
  assert.match(page.body, /"url": "\/openapi.json"/);
  const script = await t.app.inject('/docs/js/scalar.js');
  assert.equal(script.statusCode, 200);
  assert.ok(script.body.length > 100_000);
  const spec = (await t.app.inject('/openapi.json')).json();
  assert.equal(spec.paths['/docs/'], undefined, 'the docs page itself is not an API endpoint');
  assert.ok(spec.paths['/mcp'].post, '/mcp is documented');
});

test('/docs renders the endpoint list in headless Chromium', async () => {
  const context = await browser.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' });
  const page = await context.newPage();
  const failed: string[] = [];
  const external: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:')) external.push(r.url());
  });
  const specLoaded = page.waitForResponse((r) => r.url() === `${url}/openapi.json` && r.status() === 200);
  await page.goto(`${url}/docs`);
  await specLoaded;
  // Operation summaries from the route schemas appear once Scalar has rendered the document.
  await page.getByText('List projects').first().waitFor({ timeout: 20_000 });
  // The sidebar can render before the document's heading (more so with a long operation list).
  await page.getByText('Agent Analytics API').first().waitFor({ timeout: 20_000 });
  const body = await page.locator('body').innerText();
  for (const summary of ['Create a project (idempotent by name)', 'Account, tier, limits and usage', 'Model Context Protocol endpoint']) {
    assert.ok(body.includes(summary), `"${summary}" is rendered`);
  }
  assert.match(body, /Agent Analytics API/);
  assert.deepEqual(failed, [], 'every asset loads');
  assert.deepEqual(external, [], 'no CDN, fonts, telemetry or hosted agent: the page works offline');
  await context.close();
});
