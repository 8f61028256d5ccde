// The LiveBus contract as one suite every implementation runs (memory here; Redis can call it too).
// `settle` waits until published events have reached subscribers (a no-op for the in-process bus).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LiveBus, LiveEvent } from '../../src/store/ports.js';

export interface BusUnderTest {
  bus: LiveBus;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface BusFactory {
  (opts: { bufferSeconds: number; bufferEvents: number }, now?: () => number): Promise<BusUnderTest>;
  /** Why age-eviction tests are skipped when the implementation cannot take a clock (null = runs them). */
  noClockReason?: string;
}

const T0 = Date.UTC(2026, 2, 9, 12, 0, 0);
// Valid ULIDs that sort like n (time part fixed, last 4 Crockford digits = n), so resume-by-order is testable.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ulidAt = (n: number) => {
  let tail = '';
  for (let i = 0, x = n; i < 4; i++, x = Math.floor(x / 32)) tail = CROCKFORD[x % 32] + tail;
  return `01JNB6W9X3Q5R7T9V1X3Z5${tail}`;
};

export function ev(n: number, over: Partial<LiveEvent> = {}): LiveEvent {
  return {
    id: ulidAt(n), project_id: 'p1', event: 'page_view', properties: { path: '/' },
    user_id: `u${n}`, session_id: `s${n}`, timestamp: T0 + n, country: null, ...over,
  };
}

const ids = (es: LiveEvent[]) => es.map((e) => e.id);

export function liveBusSuite(name: string, make: BusFactory): void {
  describe(`LiveBus contract: ${name}`, () => {
    const opts = { bufferSeconds: 300, bufferEvents: 100 };

    test('subscribers get their project\'s events in order; recent() is the buffer oldest first', async () => {
      const t = await make(opts);
      try {
        const got: string[] = [];
        const other: string[] = [];
        t.bus.subscribe('p1', (e) => got.push(e.id));
        t.bus.subscribe('p2', (e) => other.push(e.id));
        t.bus.publish([ev(1), ev(2, { project_id: 'p2' }), ev(3)]);
        await t.settle();
        assert.deepEqual(got, [ulidAt(1), ulidAt(3)]);
        assert.deepEqual(other, [ulidAt(2)]);
        assert.deepEqual(ids(t.bus.recent('p1')), [ulidAt(1), ulidAt(3)]);
        assert.deepEqual(ids(t.bus.recent('p2')), [ulidAt(2)]);
        assert.deepEqual(t.bus.recent('nobody'), []);
      } finally {
        await t.close();
      }
    });

    test('unsubscribe is per subscription, idempotent, and stops delivery at once', async () => {
      const t = await make(opts);
      try {
        const a: string[] = [];
        const b: string[] = [];
        const fn = (e: LiveEvent) => a.push(e.id);
        const offA1 = t.bus.subscribe('p1', fn);
        t.bus.subscribe('p1', fn); // the same function twice = two subscriptions
        const offB = t.bus.subscribe('p1', (e) => b.push(e.id));
        t.bus.publish([ev(1)]);
        await t.settle();
        offA1();
        offA1();
        offB();
        t.bus.publish([ev(2)]);
        await t.settle();
        assert.deepEqual(a, [ulidAt(1), ulidAt(1), ulidAt(2)]);
        assert.deepEqual(b, [ulidAt(1)]);
      } finally {
        await t.close();
      }
    });

    test('a throwing subscriber does not stop the others', async () => {
      const t = await make(opts);
      try {
        const got: string[] = [];
        t.bus.subscribe('p1', () => { throw new Error('broken stream'); });
        t.bus.subscribe('p1', (e) => got.push(e.id));
        assert.doesNotThrow(() => t.bus.publish([ev(1), ev(2)]));
        await t.settle();
        assert.deepEqual(got, [ulidAt(1), ulidAt(2)]);
      } finally {
        await t.close();
      }
    });

    test('the buffer keeps at most bufferEvents per project, oldest evicted first', async () => {
      const t = await make({ bufferSeconds: 300, bufferEvents: 5 });
      try {
        t.bus.publish([1, 2, 3, 4, 5, 6, 7, 8].map((n) => ev(n)));
        t.bus.publish([ev(9, { project_id: 'p2' })]);
        await t.settle();
        assert.deepEqual(ids(t.bus.recent('p1')), [4, 5, 6, 7, 8].map(ulidAt));
        assert.deepEqual(ids(t.bus.recent('p2')), [ulidAt(9)], 'another project has its own budget');
      } finally {
        await t.close();
      }
    });

    test('the buffer forgets events older than bufferSeconds (by arrival, not by the event timestamp)', { skip: make.noClockReason }, async () => {
      let now = T0;
      const t = await make({ bufferSeconds: 60, bufferEvents: 100 }, () => now);
      try {
        // A back-dated event (accepted up to 30 days late) still enters the buffer on arrival.
        t.bus.publish([ev(1, { timestamp: T0 - 86_400_000 })]);
        now += 30_000;
        t.bus.publish([ev(2)]);
        await t.settle();
        assert.deepEqual(ids(t.bus.recent('p1')), [ulidAt(1), ulidAt(2)]);
        now += 30_001; // event 1 arrived 60.001 s ago
        assert.deepEqual(ids(t.bus.recent('p1')), [ulidAt(2)]);
        assert.deepEqual(ids(t.bus.since('p1', ulidAt(0))), [ulidAt(2)]);
        now += 30_000;
        assert.deepEqual(t.bus.recent('p1'), []);
      } finally {
        await t.close();
      }
    });

    test('since(lastEventId) returns what came after that id, for resume', async () => {
      const t = await make({ bufferSeconds: 300, bufferEvents: 4 });
      try {
        t.bus.publish([1, 2, 3, 4, 5, 6].map((n) => ev(n))); // buffer holds 3..6
        await t.settle();
        assert.deepEqual(ids(t.bus.since('p1', ulidAt(4))), [ulidAt(5), ulidAt(6)], 'known id');
        assert.deepEqual(t.bus.since('p1', ulidAt(6)), [], 'up to date');
        assert.deepEqual(ids(t.bus.since('p1', ulidAt(1))), [3, 4, 5, 6].map(ulidAt), 'evicted id: everything newer still buffered');
        assert.deepEqual(ids(t.bus.since('p1', ulidAt(1).toLowerCase())), [3, 4, 5, 6].map(ulidAt), 'ULIDs compare case-insensitively');
        assert.deepEqual(t.bus.since('p1', 'not-an-id'), [], 'an id we never issued replays nothing');
        assert.deepEqual(t.bus.since('p2', ulidAt(1)), [], 'other project');
      } finally {
        await t.close();
      }
    });
  });
}
