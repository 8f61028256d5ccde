// The real server (src/main.ts) as a child process on a data folder, and plain node:http calls to it:
// what the crash and fault tests need to kill -9 a server under load and restart it.
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DuckDbEventStore } from '../../src/store/duckdb/event-store.js';
import { OWNER_KEY } from '../helpers/app.js';
import { UA } from './helpers.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function startChild(dir: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, 'crash-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AA_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', AA_BOOTSTRAP_API_KEY: OWNER_KEY, AA_LOG_LEVEL: 'error', AA_PURGE_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

export function call(agent: Agent, port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { 'user-agent': UA, 'content-type': 'text/plain', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

/**
 * Open the stopped server's DuckDB file and check that every acknowledged `properties.n` of `event` is
 * stored exactly once; returns how many distinct events are stored.
 */
export async function assertStoredOnce(dir: string, event: string, acked: Set<number>, context = ''): Promise<number> {
  const store = await DuckDbEventStore.open(join(dir, 'events.duckdb'));
  try {
    const rows = await store.query<{ n: number; copies: number }>({
      sql: `SELECT CAST(json_extract_string(properties, '$.n') AS INTEGER) AS n, count(*) AS copies FROM events WHERE event = $1 GROUP BY 1`, params: [event],
    });
    const copies = new Map(rows.map((r) => [Number(r.n), Number(r.copies)]));
    const missing = [...acked].filter((n) => !copies.has(n));
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged events lost${context}`);
    assert.deepEqual(rows.filter((r) => Number(r.copies) !== 1), [], `no event stored twice${context}`);
    return rows.length;
  } finally {
    await store.close();
  }
}
