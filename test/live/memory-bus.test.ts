// The in-process LiveBus: the shared contract suite plus what only memory does (ring mechanics, idle sweep).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLiveBus } from '../../src/store/bus/memory.js';
import { Ring } from '../../src/store/bus/ring.js';
import { ev, liveBusSuite } from './bus-suite.js';

liveBusSuite('memory', async (opts, now) => {
  const bus = new MemoryLiveBus(opts, now);
  return { bus, settle: async () => {}, close: () => bus.close() };
});

test('Ring: grows on demand, wraps at capacity, evicts the oldest', () => {
  for (const capacity of [1, 3, 16, 40]) {
    const ring = new Ring<number>(capacity);
    const evicted: number[] = [];
    for (let i = 0; i < capacity * 3 + 1; i++) {
      const out = ring.push(i);
      if (out !== undefined) evicted.push(out);
      const expected = Array.from({ length: Math.min(i + 1, capacity) }, (_, k) => i + 1 - Math.min(i + 1, capacity) + k);
      assert.deepEqual(ring.toArray(), expected, `capacity ${capacity} after push ${i}`);
    }
    assert.deepEqual(evicted, Array.from({ length: capacity * 2 + 1 }, (_, k) => k));
    // shift then push keeps order across the wrap point
    assert.equal(ring.shift(), capacity * 2 + 1);
    ring.push(-1);
    assert.equal(ring.toArray().at(-1), -1);
    assert.equal(ring.size, capacity);
  }
  assert.throws(() => new Ring(0), /positive integer/);
});

test('memory bus: the sweep forgets projects that went quiet, so memory follows recent traffic only', async () => {
  let now = Date.UTC(2026, 2, 9);
  const bus = new MemoryLiveBus({ bufferSeconds: 60, bufferEvents: 1000 }, () => now);
  try {
    bus.publish([ev(1), ev(2, { project_id: 'p2' }), ev(3, { project_id: 'p3' })]);
    assert.equal(bus.size(), 3);
    now += 61_000;
    bus.publish([ev(4, { project_id: 'p3' })]);
    bus.sweep();
    assert.equal(bus.size(), 1, 'only p3\'s fresh event is left');
    assert.deepEqual(bus.recent('p1'), []);
  } finally {
    await bus.close();
  }
});

test('memory bus: a full 10,000-event buffer stays at 10,000 under sustained publishing', async () => {
  const bus = new MemoryLiveBus({ bufferSeconds: 300, bufferEvents: 10_000 });
  try {
    for (let b = 0; b < 30; b++) bus.publish(Array.from({ length: 1000 }, (_, i) => ev(b * 1000 + i)));
    assert.equal(bus.size(), 10_000);
    const recent = bus.recent('p1');
    assert.equal(recent[0].id, ev(20_000).id);
    assert.equal(recent.at(-1)!.id, ev(29_999).id);
  } finally {
    await bus.close();
  }
});
