// Benchmark (not part of `npm test`): heap used by a full live buffer (10,000 events of one project),
// for tracker-like events and for larger property payloads.
// Run: node --expose-gc --import tsx test/live/bench/memory.ts
import { MemoryLiveBus } from '../../../src/store/bus/memory.js';
import type { LiveEvent } from '../../../src/store/ports.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const settle = () => {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
};

/** A page_view as tracker.js sends it (properties as the ingest pipeline hands them to the bus: parsed). */
function trackerEvent(i: number, projectId: string, padding: number): LiveEvent {
  const properties: Record<string, unknown> = {
    path: `/docs/page-${i % 200}`, url: `https://acme.example/docs/page-${i % 200}?ref=${i}`,
    hostname: 'acme.example', title: `Docs page ${i % 200} — Acme`, referrer: 'https://www.google.com/',
    screen: '1920x1080', language: 'en-US', timezone: 'Europe/Berlin', browser: 'Chrome', browser_version: '126',
    os: 'macOS', device: 'desktop',
  };
  if (padding) properties.blob = `${i}`.padEnd(padding, 'x');
  return {
    // Properties go through JSON.parse so every event owns its strings, as after ingestion.
    id: `01JNB6W9X3Q5R7T9V1${String(i).padStart(8, '0')}`, project_id: projectId, event: ['page_view', 'signup', 'cta_click'][i % 3],
    properties: JSON.parse(JSON.stringify(properties)), user_id: `anon_${(i * 7919).toString(36)}`,
    session_id: `sess_${(i * 104729).toString(36)}`, timestamp: Date.now(), country: 'DE',
  };
}

async function measureHeld(label: string, padding: number) {
  const bus = new MemoryLiveBus({ bufferSeconds: 300, bufferEvents: 10_000 });
  const before = settle();
  for (let i = 0; i < 10_000; i += 500) bus.publish(Array.from({ length: 500 }, (_, k) => trackerEvent(i + k, 'p1', padding)));
  const after = settle();
  const delta = after - before;
  const json = Buffer.byteLength(JSON.stringify(trackerEvent(0, 'p1', padding).properties));
  console.log(`${label}: ${bus.size()} events, properties ≈ ${json} B JSON → heap +${(delta / 1048576).toFixed(1)} MiB (${Math.round(delta / bus.size())} B/event)`);
  await bus.close();
}

await measureHeld('tracker page_view', 0);
await measureHeld('1 KB properties', 1024 - 316);
await measureHeld('8 KB properties (the contract maximum, 8192 B)', 8192 - 316);
// Eviction keeps it there: 30,000 more events into the same 10,000 slots.
{
  const bus = new MemoryLiveBus({ bufferSeconds: 300, bufferEvents: 10_000 });
  const before = settle();
  for (let i = 0; i < 40_000; i += 500) bus.publish(Array.from({ length: 500 }, (_, k) => trackerEvent(i + k, 'p1', 0)));
  const after = settle();
  console.log(`after 40,000 tracker events: ${bus.size()} buffered, heap +${((after - before) / 1048576).toFixed(1)} MiB`);
  await bus.close();
}
