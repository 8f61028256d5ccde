// The served tracker must stay within the 3.5 KB gzip budget (decision P2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTracker, GZIP_BUDGET } from '../../src/tracker/build.js';
import { CAPTURES } from '../../src/tracker/features.js';

test(`tracker.js gzipped is at most ${GZIP_BUDGET} bytes`, async () => {
  const b = await buildTracker();
  const full = await buildTracker({ captures: CAPTURES });
  console.log(`tracker.js: ${b.minified.length} bytes minified, ${b.gzipBytes} bytes gzipped (budget ${GZIP_BUDGET}); with every capture: ${full.gzipBytes}`);
  assert.ok(b.gzipBytes <= GZIP_BUDGET, `${b.gzipBytes} > ${GZIP_BUDGET}`);
});

test('the build is deterministic and reports its own digest', async () => {
  const [a, b] = await Promise.all([buildTracker(), buildTracker()]);
  assert.equal(a.minified, b.minified);
  assert.match(a.sha256, /^[0-9a-f]{64}$/);
  assert.ok(a.source.length > a.minified.length);
  assert.ok(!a.minified.includes('AA_FEATURES') && !a.source.includes('AA_FEATURES'));
});
