// GET /stream lifetimes over real connections: heartbeats, the stream cap, freed slots, idle close,
// slow consumers, and shutdown with streams open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LiveApp, liveEvent, startLiveApp } from './live-app.js';
import type { SseClient } from './sse-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('heartbeat: a ":heartbeat" comment every AA_STREAM_HEARTBEAT_MS', async () => {
  const t = await startLiveApp({ AA_STREAM_HEARTBEAT_MS: '100' });
  try {
    await t.newProject(t.ownerKey, 'site');
    const s = await t.stream();
    try {
      let raw = '';
      s.res.on('data', (chunk: string) => (raw += chunk));
      await s.next();
      const first = await s.next((f) => f.type === 'comment', 1000);
      const second = await s.next((f) => f.type === 'comment', 1000);
      assert.equal(first.comment, 'heartbeat');
      const gap = second.at - first.at;
      assert.ok(gap > 60 && gap < 1000, `heartbeats ${gap.toFixed(0)} ms apart`); // upper bound loose: shared CI cores
      assert.ok(raw.includes(':heartbeat\n\n'), raw);
    } finally {
      s.close();
    }
  } finally {
    await t.close();
  }
});

test('the 11th concurrent stream of an account gets 429 STREAM_LIMIT; closing one frees its slot', async () => {
  const t = await startLiveApp();
  const open: SseClient[] = [];
  try {
    assert.equal(t.config.live.maxStreams, 10);
    await t.newProject(t.ownerKey, 'site');
    for (let i = 0; i < 3; i++) {
      const head = await fetch(`${t.base}/stream`, { method: 'HEAD', headers: { 'x-api-key': t.ownerKey } });
      assert.equal(head.status, 200, 'HEAD checks access without holding a slot');
    }
    for (let i = 0; i < 10; i++) {
      const s = await t.stream();
      assert.equal(s.status, 200, `stream ${i + 1}`);
      open.push(s);
    }
    const eleventh = await t.stream();
    assert.equal(eleventh.status, 429);
    assert.match(eleventh.headers['content-type'] ?? '', /application\/json/);
    const body = JSON.parse(eleventh.body);
    assert.equal(body.error, 'STREAM_LIMIT');
    assert.match(body.message, /10 concurrent streams/);
    assert.ok(Number(eleventh.headers['retry-after']) > 0, 'P7: a 429 carries Retry-After');

    // Another account has its own ten.
    const otherKey = await t.newAccount('pro');
    await t.newProject(otherKey, 'theirs');
    const theirs = await t.stream('', {}, otherKey);
    assert.equal(theirs.status, 200);
    open.push(theirs);

    open.shift()!.close(); // client disconnects: its slot comes back
    open.push(await t.streamWhenFree(''));
    assert.equal((await t.stream()).status, 429, 'still capped at ten');
  } finally {
    for (const s of open) s.close();
    await t.close();
  }
});

test('idle close: no matching event for AA_STREAM_IDLE_MS ends the stream (heartbeats and other events do not count)', async () => {
  const t = await startLiveApp({ AA_STREAM_IDLE_MS: '400', AA_STREAM_HEARTBEAT_MS: '50', AA_MAX_STREAMS: '2' });
  try {
    const p = await t.newProject(t.ownerKey, 'site');
    const started = performance.now(); // before the server starts quiet's idle clock
    const quiet = await t.stream('events=purchase');
    const busy = await t.stream('events=signup');
    const feeder = setInterval(() => t.stores.bus.publish([liveEvent(p.id, { event: 'signup' })]), 100);
    try {
      await quiet.closed;
      const lasted = performance.now() - started;
      assert.ok(lasted >= 395 && lasted < 3000, `quiet stream closed after ${lasted.toFixed(0)} ms`);
      assert.ok(quiet.frames.some((f) => f.type === 'comment'), 'heartbeats were flowing meanwhile');
      assert.ok(!quiet.frames.some((f) => f.type === 'track'));
      await sleep(300);
      assert.equal(busy.res.complete, false, 'a stream with matching events stays open');
      assert.ok(busy.frames.filter((f) => f.type === 'track').length >= 5);
    } finally {
      clearInterval(feeder);
    }
    // The idle-closed stream released its slot.
    const again = await t.streamWhenFree('events=signup', 1000);
    again.close();
    busy.close();
  } finally {
    await t.close();
  }
});

test('slow consumer: a client that stops reading is dropped once AA_STREAM_MAX_QUEUE_BYTES wait, and its slot is freed', async () => {
  const t = await startLiveApp({ AA_STREAM_MAX_QUEUE_BYTES: '65536', AA_MAX_STREAMS: '2' });
  try {
    const p = await t.newProject(t.ownerKey, 'site');
    const slow = await t.stream();
    const fast = await t.stream();
    await slow.next();
    await fast.next();
    slow.res.pause(); // stops reading; the kernel buffers fill, then the server's queue grows
    const blob = 'x'.repeat(8000);
    // Small bursts with pauses in between, so a client that does read keeps up (client and server share this process).
    for (let i = 0; i < 4000; i += 5) {
      t.stores.bus.publish([0, 1, 2, 3, 4].map((k) => liveEvent(p.id, { properties: { blob, i: i + k } })));
      await sleep(1);
    }
    // The server dropped `slow`: its slot is free again while `fast` (reading) is still connected.
    const third = await t.streamWhenFree('', 3000);
    third.close();
    await fast.next((f) => f.type === 'track' && JSON.parse(f.data!).properties.i === 3999, 5000);
    assert.equal(fast.res.complete, false);
    slow.res.resume();
    await slow.closed;
    const got = slow.frames.filter((f) => f.type === 'track').length;
    assert.ok(got < 4000, `the slow client received ${got} of 4000 and was then cut off`);
    fast.close();
  } finally {
    await t.close();
  }
});

test('closing the app ends open streams instead of waiting for them', async () => {
  const t = await startLiveApp();
  await t.newProject(t.ownerKey, 'site');
  const s = await t.stream();
  await s.next();
  const started = performance.now();
  await t.close();
  await s.closed;
  assert.ok(performance.now() - started < 3000);
});
