// E32 and Appendix A: /tracker.js (minified, sha256 headers) and /tracker.src.js (readable) with E32's caching headers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { buildTracker } from '../../src/tracker/build.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('GET /tracker.js: the minified build with E32 headers and a checksum of the body', async () => {
  const res = await t.app.inject('/tracker.js');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/javascript');
  assert.equal(res.headers['cache-control'], 'public, max-age=3600, s-maxage=604800');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['x-agent-analytics-tracker-checksum-algorithm'], 'sha256');
  assert.equal(res.headers['x-agent-analytics-tracker-sha256'], sha(res.body));
  assert.equal(res.headers['x-ratelimit-limit'], undefined); // never rate limited
  const build = await buildTracker();
  assert.equal(res.body, build.minified);
  assert.equal(res.headers['x-agent-analytics-tracker-sha256'], build.sha256);
  // Conditional requests by checksum.
  const again = await t.app.inject({ url: '/tracker.js', headers: { 'if-none-match': res.headers.etag as string } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  const head = await t.app.inject({ method: 'HEAD', url: '/tracker.js' });
  assert.equal(head.statusCode, 200);
});

test('GET /tracker.src.js: the readable source with the same caching', async () => {
  const min = await t.app.inject('/tracker.js');
  const res = await t.app.inject('/tracker.src.js');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/javascript');
  assert.equal(res.headers['cache-control'], 'public, max-age=3600, s-maxage=604800');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['x-agent-analytics-tracker-sha256'], sha(res.body));
  assert.ok(res.body.length > min.body.length);
  assert.ok(res.body.split('\n').length > 50, 'readable source spans many lines');
  assert.equal(res.body, (await buildTracker()).source);
});
