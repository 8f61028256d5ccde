// The official CLI's calls to services of the hosted product (website scans, demo sessions) over the real app:
// a 404 that says so, whatever the credentials or the body, instead of the bare "not found" of an unknown route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectError } from '../helpers/errors.js';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => t?.close());

const req = (method: string, url: string, payload?: unknown, key?: string | null) => t.request(method, url, payload, key);

describe('hosted-only services', () => {
  const cases: [string, string, RegExp][] = [
    ['POST', '/website-scans', /website scans .* hosted Agent Analytics product; a self-hosted server does not offer them/],
    ['GET', '/website-scans/scan_anon?resume_token=rst_preview', /website scans/],
    ['POST', '/website-scans/scan_anon/upgrade', /website scans/],
    ['POST', '/cli/website-scans', /website scans/],
    ['POST', '/demo/session', /demo sessions .* hosted Agent Analytics product; a self-hosted server has no demo account/],
  ];

  test('answer 404 NOT_FOUND saying they are a hosted service, with or without a key or a body', async () => {
    for (const [method, url, message] of cases) {
      expectError(await req(method, url, method === 'POST' ? { url: 'https://example.com', mode: 'full', project: 'app' } : undefined), 404, 'NOT_FOUND', message);
      expectError(await req(method, url, undefined, null), 404, 'NOT_FOUND', message);
      if (method === 'POST') expectError(await req(method, url, '{not json', null), 404, 'NOT_FOUND', message);
    }
    expectError(await req('GET', '/website-scan'), 404, 'NOT_FOUND', /^not found$/);
  });

  test('they are not in /openapi.json', async () => {
    const paths = Object.keys((await t.app.inject('/openapi.json')).json().paths);
    assert.deepEqual(paths.filter((p) => p.includes('scan') || p.includes('demo')), []);
  });
});
