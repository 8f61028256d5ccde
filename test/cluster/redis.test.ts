// Redis Counters and LiveBus as two replicas see them: two instances on the real local Redis,
// sharing a key prefix no other run uses.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { RedisLiveBus } from '../../src/store/bus/redis.js';
import { RedisCounters } from '../../src/store/counters/redis.js';
import type { LiveEvent } from '../../src/store/ports.js';
import { liveBusSuite } from '../live/bus-suite.js';
import { dropRedisPrefix, REDIS_URL, redisPrefix, servicesOrSkip, withRedis } from './services.js';

const skip = await servicesOrSkip('redis');

/** Poll until `check` is true or fail after `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('RedisCounters across two replicas', { skip }, () => {
  const prefix = redisPrefix();
  let a: RedisCounters;
  let b: RedisCounters;
  before(async () => {
    a = new RedisCounters(REDIS_URL, { prefix });
    b = new RedisCounters(REDIS_URL, { prefix });
    await Promise.all([a.ready(), b.ready()]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dropRedisPrefix(prefix);
  });

  test('hit: one window shared by both replicas, amounts add up, separate keys stay separate', async () => {
    const r1 = await a.hit('api:acc1', 60);
    const r2 = await b.hit('api:acc1', 60);
    const r3 = await a.hit('api:acc1', 60, 5);
    assert.deepEqual([r1.count, r2.count, r3.count], [1, 2, 7]);
    assert.ok(r3.resetSec >= 1 && r3.resetSec <= 60, `resetSec ${r3.resetSec}`);
    assert.equal((await b.hit('api:acc2', 60)).count, 1);
    assert.equal((await b.hit('api:acc1', 3600)).count, 1); // another window size is another counter
    const otherPrefix = redisPrefix();
    const other = new RedisCounters(REDIS_URL, { prefix: otherPrefix });
    try {
      assert.equal((await other.hit('api:acc1', 60)).count, 1); // another deployment's prefix
    } finally {
      await other.close();
      await dropRedisPrefix(otherPrefix);
    }
  });

  test('hit: a new window starts from zero, and the counter key expires soon after', async () => {
    const first = await a.hit('short', 1);
    await sleep(first.resetSec * 1000 + 50);
    assert.equal((await b.hit('short', 1)).count, 1);
    const ttl = await withRedis((r) => r.pttl(`${prefix}rl:short:1`));
    assert.ok(ttl > 0 && ttl <= 2000, `counter expires one second after its window, pttl ${ttl}`);
  });

  test('hit: concurrent hits from both replicas never lose a count', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).hit('race', 60)));
    assert.equal((await a.hit('race', 60)).count, 51);
  });

  test('acquire: slots are shared, released once, and full means null', async () => {
    const r1 = await a.acquire('streams:acc', 2, 30);
    const r2 = await b.acquire('streams:acc', 2, 30);
    assert.ok(r1 && r2);
    assert.equal(await a.acquire('streams:acc', 2, 30), null);
    await r1();
    await r1(); // idempotent: must not free the other replica's slot
    const r3 = await b.acquire('streams:acc', 2, 30);
    assert.ok(r3);
    assert.equal(await b.acquire('streams:acc', 2, 30), null);
    await r2();
    await r3();
  });

  test('acquire: a held slot outlives its TTL (refreshed); a dead replica\'s slot expires', async () => {
    const dying = new RedisCounters(REDIS_URL, { prefix });
    const held = await a.acquire('ttl:acc', 1, 0.3);
    assert.ok(held);
    await sleep(800);
    assert.equal(await b.acquire('ttl:acc', 1, 0.3), null, 'live holder keeps its slot past the TTL');
    await held();
    const orphan = await dying.acquire('ttl:acc', 1, 0.3);
    assert.ok(orphan);
    await dying.close(); // as if the replica crashed: no release, no refresh
    assert.equal(await b.acquire('ttl:acc', 1, 0.3), null);
    await sleep(450);
    const taken = await b.acquire('ttl:acc', 1, 0.3);
    assert.ok(taken, 'the orphaned slot expired');
    await taken();
  });

  test('invalidate: applied on every replica, each once, before the call resolves', async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.onInvalidate((c, m) => seenA.push(`${c}/${m}`));
    b.onInvalidate((c, m) => seenB.push(`${c}/${m}`));
    await a.invalidate('keys', 'hash1');
    assert.deepEqual(seenA, ['keys/hash1']);
    assert.deepEqual(seenB, ['keys/hash1'], 'the other replica confirmed before invalidate() resolved');
    await b.invalidate('accounts', 'acc9');
    assert.deepEqual(seenA, ['keys/hash1', 'accounts/acc9']);
    await sleep(50);
    assert.deepEqual(seenA, ['keys/hash1', 'accounts/acc9']);
    assert.deepEqual(seenB, ['keys/hash1', 'accounts/acc9']);
  });

  test('invalidate: a subscriber that never confirms delays the call by the ack timeout, no more', async () => {
    const quick = new RedisCounters(REDIS_URL, { prefix, ackTimeoutMs: 200 });
    const { Redis } = await import('ioredis');
    const mute = new Redis(REDIS_URL);
    try {
      await quick.ready();
      // Subscribe only once connected: a SUBSCRIBE sent before ioredis's ready check (INFO) makes that check
      // fail in subscriber mode, seen under load.
      if (mute.status !== 'ready') await new Promise((r) => mute.once('ready', r));
      await mute.subscribe(`${prefix}invalidate`); // like a replica that died before answering
      const started = Date.now();
      await quick.invalidate('keys', 'hash2');
      const took = Date.now() - started;
      assert.ok(took >= 150 && took < 1000, `took ${took} ms`);
    } finally {
      mute.disconnect();
      await quick.close();
    }
  });
});

const ev = (id: string, project_id: string, event = 'page_view'): LiveEvent => ({
  id, project_id, event, properties: { path: `/${id}` }, user_id: null, session_id: 's1', timestamp: Date.now(), country: 'DE',
});

describe('RedisLiveBus across two replicas', { skip }, () => {
  const prefix = redisPrefix();
  const opts = { bufferSeconds: 300, bufferEvents: 3, prefix };
  let a: RedisLiveBus;
  let b: RedisLiveBus;
  before(async () => {
    a = new RedisLiveBus(REDIS_URL, opts);
    b = new RedisLiveBus(REDIS_URL, opts);
    await Promise.all([a.ready(), b.ready()]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test('events published on one replica reach subscribers and buffers on both, in one order', async () => {
    const onB: string[] = [];
    const onA: string[] = [];
    const unsubB = b.subscribe('p1', (e) => onB.push(e.id));
    const unsubA = a.subscribe('p1', (e) => onA.push(e.id));
    const p2Event = ev('01HZZZZZZZZZZZZZZZZZZZZZZ2', 'p2');
    a.publish([ev('01HZZZZZZZZZZZZZZZZZZZZZZ1', 'p1'), p2Event]);
    b.publish([ev('01HZZZZZZZZZZZZZZZZZZZZZZ3', 'p1')]);
    await until(() => onA.length === 2 && onB.length === 2);
    assert.deepEqual(onB, onA, 'every replica sees the same order');
    assert.deepEqual(a.recent('p1').map((e) => e.id), b.recent('p1').map((e) => e.id));
    assert.deepEqual(b.recent('p2'), [p2Event], 'every field survives the trip through Redis');
    assert.deepEqual(b.since('p1', onA[0]).map((e) => e.id), [onA[1]]);
    unsubB();
    a.publish([ev('01HZZZZZZZZZZZZZZZZZZZZZZ4', 'p1')]);
    await until(() => onA.length === 3);
    await sleep(20);
    assert.equal(onB.length, 2, 'unsubscribed listener gets nothing more');
    assert.equal(b.recent('p1').length, 3, 'but the buffer still fills');
    unsubA();
  });

  test('buffers stay bounded per project on every replica', async () => {
    const ids = ['01J0000000000000000000000A', '01J0000000000000000000000B', '01J0000000000000000000000C', '01J0000000000000000000000D'];
    a.publish(ids.map((id) => ev(id, 'p3')));
    await until(() => b.recent('p3').length === 3 && a.recent('p3').length === 3);
    assert.deepEqual(b.recent('p3').map((e) => e.id), ids.slice(1));
  });
});

// The live engineer's LiveBus contract, unchanged, on the Redis bus (settle = a marker round trip).
if (!skip) {
  const factory = Object.assign(async (opts: { bufferSeconds: number; bufferEvents: number }, now?: () => number) => {
    const bus = new RedisLiveBus(REDIS_URL, { ...opts, prefix: redisPrefix() }, now);
    await bus.ready();
    return { bus, settle: () => bus.settle(), close: () => bus.close() };
  }, {
    // Age counts from arrival on the replica, and over Redis an event arrives after the suite has
    // already moved its fake clock on; the eviction code is the memory bus's own, tested there.
    noClockReason: 'arrival over Redis happens after the fake clock advanced; same ring code as memory',
  });
  liveBusSuite('redis', factory);
}

test('an unreachable Redis answers 503 + Retry-After (not a 500) and never crashes the process', async () => {
  const dead = 'redis://127.0.0.1:1'; // nothing listens on port 1: connections are refused at once
  const counters = new RedisCounters(dead);
  const bus = new RedisLiveBus(dead, { bufferSeconds: 60, bufferEvents: 10 });
  try {
    await assert.rejects(counters.hit('api:acc', 60), (err: { status?: number; code?: string; headers?: Record<string, unknown> }) => {
      assert.equal(err.status, 503);
      assert.equal(err.code, 'SERVICE_UNAVAILABLE');
      assert.equal(err.headers?.['Retry-After'], 1);
      return true;
    });
    await assert.rejects(counters.acquire('streams:acc', 1, 1), { status: 503 });
    await assert.rejects(counters.ready());
    bus.publish([{ id: 'x', project_id: 'p', event: 'e', properties: null, user_id: null, session_id: null, timestamp: 0, country: null }]);
    await sleep(100); // an unhandled rejection would fail this test file
  } finally {
    await counters.close();
    await bus.close();
  }
});
