// Experiment bucketing must match the documented ×31 hash exactly: the server attributes by the same variant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equalWeights, hash, pickVariant } from '../../src/tracker/hash.js';

test('hash is the 32-bit signed ×31 + charCode hash', () => {
  assert.equal(hash(''), 0);
  assert.equal(hash('a'), 97); // 0 * 31 + 97
  assert.equal(hash('ab'), 3105); // 97 * 31 + 98
  assert.equal(hash('abc'), 96354); // 3105 * 31 + 99
  // Well-known Java String.hashCode values, which wrap the same way.
  assert.equal(hash('hello'), 99162322);
  assert.equal(hash('Hello World'), -862545276);
  assert.equal(hash('polygenelubricants'), -2147483648);
});

test('pickVariant buckets |h| mod 100 through cumulative weights', () => {
  const v = [
    { key: 'control', weight: 50 },
    { key: 'new', weight: 50 },
  ];
  // name "x", user "y": hash("x.y") = (120 * 31 + 46) * 31 + 121 = 3766 * 31 + 121 = 116867 → bucket 67.
  assert.equal(hash('x.y'), 116867);
  assert.equal(pickVariant('x', 'y', v), 'new');
  assert.equal(pickVariant('x', 'y', [{ key: 'a', weight: 67 }, { key: 'b', weight: 33 }]), 'b'); // 67 is not > 67
  assert.equal(pickVariant('x', 'y', [{ key: 'a', weight: 68 }, { key: 'b', weight: 32 }]), 'a');
  // The most negative hash still gives a bucket in 0..99: |-2^31| mod 100 = 48.
  assert.equal(Math.abs(hash('polygenelubricants')) % 100, 48);
  // Weights that never exceed the bucket fall back to the first variant.
  assert.equal(pickVariant('x', 'y', [{ key: 'a', weight: 10 }, { key: 'b', weight: 10 }]), 'a');
  // Same user, same experiment: same answer every time.
  assert.equal(pickVariant('hero', 'anon_1', v), pickVariant('hero', 'anon_1', v));
});

test('equalWeights gives floor(100/n), the remainder to the first', () => {
  assert.deepEqual(equalWeights(['a', 'b']), [{ key: 'a', weight: 50 }, { key: 'b', weight: 50 }]);
  assert.deepEqual(equalWeights(['a', 'b', 'c']).map((v) => v.weight), [34, 33, 33]);
  assert.deepEqual(equalWeights(['a', 'b', 'c', 'd', 'e', 'f', 'g']).map((v) => v.weight), [16, 14, 14, 14, 14, 14, 14]);
});
