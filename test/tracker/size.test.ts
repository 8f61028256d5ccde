// The complete tracker against its size budget (issue 12: ≤ 4,608 B gzipped as served), printed on every run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildTracker, GZIP_BUDGET } from '../../src/tracker/build.js';

test(`tracker.js gzipped is at most ${GZIP_BUDGET} bytes`, async () => {
  const b = await buildTracker();
  const zlib9 = gzipSync(b.minified, { level: 9 }).length;
  console.log(`tracker.js: ${b.minified.length} bytes minified, ${b.gzipBytes} bytes gzipped as served (zlib -9: ${zlib9}), ${b.brotli.length} bytes brotli; budget ${GZIP_BUDGET}, ${GZIP_BUDGET - b.gzipBytes} bytes to spare`);
  assert.equal(gunzipSync(b.gzip).toString(), b.minified);
  assert.ok(b.gzipBytes <= GZIP_BUDGET, `tracker.js is ${b.gzipBytes} bytes gzipped, over the ${GZIP_BUDGET}-byte budget by ${b.gzipBytes - GZIP_BUDGET}`);
});

test('the served build is the complete tracker: every capture of §3.1 is compiled in', async () => {
  const { minified } = await buildTracker();
  const events = ['page_view', '$impression', '$experiment_exposure', '$consent', 'outgoing_link', '$click', '$download', '$form_submit', '$404', '$error', '$performance', '$web_vitals', '$scroll_depth', '$time_on_page'];
  const options = ['link-domains', 'do-not-track', 'require-consent', 'track-spa', 'heartbeat', 'track-outgoing', 'track-clicks', 'track-downloads', 'track-forms', 'track-404', 'track-errors', 'track-performance', 'track-vitals', 'track-scroll-depth'];
  for (const s of [...events, ...options]) assert.ok(minified.includes(`"${s}"`), s);
  // Never loaded at run time (§3.10): no dynamic import, eval, Function constructor or injected scripts.
  for (const s of ['import(', 'eval(', 'Function(', 'createElement("script")', 'document.write']) assert.ok(!minified.includes(s), s);
});

test('the build is deterministic and reports its own digest', async () => {
  const [a, b] = await Promise.all([buildTracker(), buildTracker()]);
  assert.equal(a.minified, b.minified);
  assert.ok(a.gzip.equals(b.gzip));
  assert.match(a.sha256, /^[0-9a-f]{64}$/);
  assert.ok(a.source.length > a.minified.length);
});
