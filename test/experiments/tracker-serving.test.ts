// E32 and Appendix A: /tracker.js (minified, sha256 headers) and /tracker.src.js (readable) with E32's caching headers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pickEncoding } from '../../src/http/routes/tracker.js';
import { buildTracker, GZIP_BUDGET } from '../../src/tracker/build.js';
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

test('GET /tracker.js compressed: brotli or gzip by Accept-Encoding, the same script, within the size budget', async () => {
  const plain = await t.app.inject('/tracker.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const gz = await t.app.inject({ url: '/tracker.js', headers: { 'accept-encoding': 'gzip, deflate' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
  // What a browser downloads: the gzip body itself is what the size budget (GZIP_BUDGET, issue 12) is about.
  assert.ok(gz.rawPayload.length <= GZIP_BUDGET, `${gz.rawPayload.length} > ${GZIP_BUDGET}`);
  const br = await t.app.inject({ url: '/tracker.js', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
  assert.ok(br.rawPayload.length < gz.rawPayload.length);
  // One checksum (of the script), one validator per coding; any of them revalidates.
  assert.equal(gz.headers['x-agent-analytics-tracker-sha256'], plain.headers['x-agent-analytics-tracker-sha256']);
  assert.deepEqual(new Set([plain.headers.etag, gz.headers.etag, br.headers.etag]).size, 3);
  const again = await t.app.inject({ url: '/tracker.js', headers: { 'accept-encoding': 'br', 'if-none-match': gz.headers.etag as string } });
  assert.equal(again.statusCode, 304);
  const src = await t.app.inject({ url: '/tracker.src.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gunzipSync(src.rawPayload).toString(), (await buildTracker()).source);
});

test('Accept-Encoding negotiation: q=0 refuses a coding, * means any', () => {
  assert.equal(pickEncoding(undefined), 'identity');
  assert.equal(pickEncoding(''), 'identity');
  assert.equal(pickEncoding('identity'), 'identity');
  assert.equal(pickEncoding('gzip;q=1.0, br;q=0'), 'gzip');
  assert.equal(pickEncoding('BR'), 'br');
  assert.equal(pickEncoding('br;q=0.0, gzip;q=0'), 'identity');
  assert.equal(pickEncoding('*'), 'gzip');
  assert.equal(pickEncoding('deflate'), 'identity');
});
