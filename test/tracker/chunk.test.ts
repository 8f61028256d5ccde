// Request splitting (§3.3): one event → /track bare object, ≥ 2 → /track/batch, ≤ 100 per request, ≤ 64 KB bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunk, MAX_BODY } from '../../src/tracker/chunk.js';

const ev = (i: number, pad = 0) => ({ event: 'e' + i, properties: { pad: 'x'.repeat(pad) } });
function requests(events: object[]): { path: string; body: any }[] {
  const out: { path: string; body: any }[] = [];
  chunk(events, (path, body) => out.push({ path, body: JSON.parse(body) }));
  return out;
}

test('nothing to send for an empty queue', () => {
  assert.deepEqual(requests([]), []);
});

test('a single event goes to /track as a bare object', () => {
  assert.deepEqual(requests([ev(1)]), [{ path: '/track', body: ev(1) }]);
});

test('two or more go to /track/batch as {events}', () => {
  assert.deepEqual(requests([ev(1), ev(2)]), [{ path: '/track/batch', body: { events: [ev(1), ev(2)] } }]);
});

test('chunks of at most 100, in order; a trailing single event is a bare /track', () => {
  const r = requests(Array.from({ length: 201 }, (_, i) => ev(i)));
  assert.deepEqual(r.map((x) => x.path), ['/track/batch', '/track/batch', '/track']);
  assert.deepEqual(r.map((x) => (x.body.events ? x.body.events.length : 1)), [100, 100, 1]);
  assert.equal(r[1].body.events[0].event, 'e100');
  assert.equal(r[2].body.event, 'e200');
});

test('bodies over 64 KB are halved recursively; a lone event over 64 KB is dropped', () => {
  // 20 events of ~4 KB: ~80 KB → two batches of 10.
  const r = requests(Array.from({ length: 20 }, (_, i) => ev(i, 4000)));
  assert.deepEqual(r.map((x) => x.body.events.length), [10, 10]);
  for (const x of r) assert.ok(JSON.stringify(x.body).length <= MAX_BODY);
  // A huge one between small ones: the others still go out.
  const mixed = requests([ev(1), ev(2, 70000), ev(3)]);
  assert.deepEqual(mixed.map((x) => x.path), ['/track', '/track']);
  assert.deepEqual(mixed.map((x) => x.body.event), ['e1', 'e3']);
});

test('the limit is on UTF-8 bytes, not characters', () => {
  // 3 events of 12,000 "é" (2 bytes each, ~24 KB): 36,000 chars but ~72 KB → split.
  const r = requests([0, 1, 2].map((i) => ({ event: 'e' + i, p: 'é'.repeat(12000) })));
  assert.equal(r.length, 2);
});
