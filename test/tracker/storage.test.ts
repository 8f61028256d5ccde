// Scoped storage (§3.4): without Web Storage (as in Node) values live in memory under `aa:<scope>:`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scope, store } from '../../src/tracker/storage.js';

test('keys are scoped by the URL-encoded token and fall back to memory', () => {
  scope('aat_1');
  assert.equal(store(1, 'uid'), undefined);
  assert.equal(store(1, 'uid', 'anon_x'), 'anon_x');
  assert.equal(store(1, 'uid'), 'anon_x');
  scope('my site/ü');
  assert.equal(store(1, 'uid'), undefined, 'another scope sees nothing');
  scope('aat_1');
  store(1, 'uid', null);
  assert.equal(store(1, 'uid'), undefined);
});

test('localStorage and sessionStorage areas are separate', () => {
  scope('aat_2');
  store(0, 'sid', 'sess_a');
  assert.equal(store(1, 'sid'), undefined);
  assert.equal(store(0, 'sid'), 'sess_a');
});
