// Benchmark (not part of `npm test`): event → SSE frame latency through POST /track with 10 open streams.
// The server runs in its own process (`agent-analytics serve`) on real DuckDB/SQLite files in a temp dir;
// this process sends the events and reads the streams. Run: npx tsx test/live/bench/latency.ts [events] [concurrency]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStream, type SseClient } from '../sse-client.js';

const EVENTS = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 1);
const STREAMS = 10;
const KEY = `aak_${'0'.repeat(47)}1`;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p99 ${pct(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'aa-bench-live-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['bin/agent-analytics.js', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: KEY, AA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const streams: SseClient[] = [];
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch { /* not up yet */ }
      if (i > 200) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const created = await fetch(`${base}/projects`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) });
    const { project_token: token } = await created.json() as { project_token: string };

    for (let i = 0; i < STREAMS; i++) {
      const s = await openStream(base, '/stream?project=bench', { 'x-api-key': KEY });
      if (s.status !== 200) throw new Error(`stream ${i}: ${s.status} ${s.body}`);
      streams.push(s);
    }

    const sentAt = new Map<number, number>();
    const acceptedAt = new Map<number, number>();
    const send = async (seq: number) => {
      const body = JSON.stringify({
        token, event: 'page_view', user_id: `anon_${seq % 50}`, session_id: `sess_${seq % 80}`,
        properties: { path: `/p${seq % 20}`, title: 'Bench page', referrer: 'https://news.example/', screen: '1920x1080', language: 'en-US', seq },
      });
      sentAt.set(seq, performance.now());
      const res = await fetch(`${base}/track`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA }, body });
      acceptedAt.set(seq, performance.now());
      if (res.status !== 202) throw new Error(`track ${seq}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };

    // Warm-up (JIT, first DuckDB appends), not measured.
    for (let i = 0; i < 20; i++) await send(-1 - i);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of streams) s.frames.length = 0;

    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) await send(next++);
    }));
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 300));

    const total: number[] = [];
    const afterAck: number[] = [];
    let missing = 0;
    for (const s of streams) {
      const seen = new Set<number>();
      for (const f of s.frames) {
        if (f.type !== 'track') continue;
        const seq = JSON.parse(f.data!).properties.seq as number;
        if (seq < 0) continue;
        seen.add(seq);
        total.push(f.at - sentAt.get(seq)!);
        afterAck.push(f.at - acceptedAt.get(seq)!);
      }
      missing += EVENTS - seen.size;
    }
    console.log(`${EVENTS} events via POST /track, concurrency ${CONCURRENCY}, ${STREAMS} streams, ${(EVENTS / (elapsed / 1000)).toFixed(0)} events/s`);
    console.log(`request sent → frame received: ${fmt(total)}`);
    console.log(`202 received → frame received: ${fmt(afterAck)} (negative = frame before the 202)`);
    console.log(`frames missing: ${missing}`);
  } finally {
    for (const s of streams) s.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
