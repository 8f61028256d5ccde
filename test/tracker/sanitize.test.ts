// The client-side sanitiser (§3.3) and the error-message redaction (§3.3 $error).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clean, redact } from '../../src/tracker/sanitize.js';

test('strings are cut to 4096 characters; scalars pass', () => {
  assert.equal(clean('x'.repeat(5000)).length, 4096);
  assert.deepEqual(clean({ n: 1.5, b: false, z: 0, s: '', nil: null }), { n: 1.5, b: false, z: 0, s: '', nil: null });
});

test('functions, symbols, bigints and undefined are dropped, also from arrays', () => {
  const out = clean({ f() {}, s: Symbol('x'), big: 10n, u: undefined, keep: 1, list: [1, () => 2, 3n, 'x'] });
  assert.deepEqual(out, { keep: 1, list: [1, 'x'] });
});

test('any key containing "email", in any case and at any depth, is removed', () => {
  const out = clean({ email: 'a@b.c', Work_EMAIL: 'x', userEmailHash: 'h', nested: { contactEmail: 'y', ok: 1 }, list: [{ eMail: 1, k: 2 }] });
  assert.deepEqual(out, { nested: { ok: 1 }, list: [{ k: 2 }] });
});

test('at most 100 keys per object and 50 items per array', () => {
  const big: Record<string, number> = {};
  for (let i = 0; i < 150; i++) big['k' + i] = i;
  const out = clean(big);
  assert.equal(Object.keys(out).length, 100);
  assert.equal(out.k99, 99);
  assert.equal(clean(Array.from({ length: 80 }, (_, i) => i)).length, 50);
});

test('nesting deeper than 8 levels becomes "[MaxDepth]"', () => {
  // Levels: the properties object is level 1; levels 1–8 are kept.
  let deep: any = { leaf: true };
  for (let i = 0; i < 9; i++) deep = { d: deep };
  let out = clean(deep);
  for (let level = 1; level < 8; level++) out = out.d;
  assert.equal(out.d, '[MaxDepth]');
  const eight = clean({ a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } });
  assert.equal(eight.a.b.c.d.e.f.g.h, 1);
});

test('cycles become "[Circular]"; shared objects that are not cycles are copied', () => {
  const a: any = { name: 'a' };
  a.self = a;
  a.list = [a];
  const shared = { x: 1 };
  assert.deepEqual(clean(a), { name: 'a', self: '[Circular]', list: ['[Circular]'] });
  assert.deepEqual(clean({ p: shared, q: shared }), { p: { x: 1 }, q: { x: 1 } });
});

test('redact cuts URLs to origin + path and masks emails and long ids', () => {
  assert.equal(redact('failed https://api.example.com/v1/users?token=abc#frag'), 'failed https://api.example.com/v1/users');
  assert.equal(redact('no user jane.doe@example.com here'), 'no user [redacted] here');
  assert.equal(redact('id 123e4567-e89b-12d3-a456-426614174000 missing'), 'id [redacted] missing');
  assert.equal(redact('bad key aat_0f3c9a7b2e4d6f81'), 'bad key [redacted]');
  assert.equal(redact('TypeError: x is not a function'), 'TypeError: x is not a function');
  assert.equal(redact('e'.repeat(600)).length, 500);
});
