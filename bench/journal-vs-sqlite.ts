// `npx tsx bench/journal-vs-sqlite.ts`: the ingest journal's commit point against the off-the-shelf
// alternative the issue names, a SQLite table as the queue (better-sqlite3, WAL, synchronous=FULL), on the
// same disk in the same run. Each commit is one group of GROUP payloads of a realistic row size; printed:
// commits/s, p50/p99 commit latency, and how long the event loop was blocked per commit.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame } from '../src/store/journal/format.js';
import { Journal } from '../src/store/journal/journal.js';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 400);
const GROUP = Number(process.env.BENCH_GROUP ?? 50);
const payload = Buffer.from(JSON.stringify([{ id: '01JEXAMPLE0000000000000000', project_id: 'prj_x', ts: Date.now(), event: 'page_view', properties: JSON.stringify({ path: '/pricing', url: 'https://shop.example/pricing?utm_source=newsletter', referrer: 'https://www.google.com/', title: 'Pricing — Shop', language: 'en-US', screen: '1920x1080' }) }]));
const group = Array.from({ length: GROUP }, () => payload);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function measure(name: string, commit: () => Promise<number>): Promise<void> {
  const lat: number[] = [];
  const blocked: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < COMMITS; i++) {
    const s = performance.now();
    blocked.push(await commit());
    lat.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`| ${name} | ${Math.round(COMMITS / secs)} | ${pct(lat, 50).toFixed(2)} | ${pct(lat, 99).toFixed(2)} | ${pct(blocked, 50).toFixed(3)} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'aa-jvs-'));
try {
  console.log(`${COMMITS} commits of ${GROUP} payloads (${payload.length} B each)\n`);
  console.log('| commit point | commits/s | p50 ms | p99 ms | event loop blocked per commit, p50 ms |\n| --- | --- | --- | --- | --- |');
  const { journal } = await Journal.open(join(dir, 'journal'), { segmentBytes: 64 << 20 }, null);
  await measure('file journal (O_DSYNC pwrite on the thread pool)', async () => {
    const s = performance.now();
    const p = journal.append(frame(group));
    const blocked = performance.now() - s;
    await p;
    return blocked;
  });
  await journal.close();

  const db = new Database(join(dir, 'queue.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE queue (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO queue (payload) VALUES (?)');
  const tx = db.transaction((ps: Buffer[]) => {
    for (const p of ps) insert.run(p);
  });
  await measure('SQLite table (better-sqlite3, WAL, synchronous=FULL)', async () => {
    const s = performance.now();
    tx(group); // synchronous: the commit's fsync runs on the main thread
    return performance.now() - s;
  });
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
