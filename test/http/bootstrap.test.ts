// Decision P4 end to end: the real `agent-analytics serve` process on an empty data folder.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const BIN = join(process.cwd(), 'bin', 'agent-analytics.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function serve(env: Record<string, string>): Promise<{ proc: ChildProcess; port: number; stdout: () => string }> {
  const port = await freePort();
  const started = Date.now();
  const proc = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', AA_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  for (;;) {
    // Generous: a cold start compiles TypeScript and builds tracker.js and the dashboard, and CI shares 2 cores.
    if (Date.now() - started > 45_000) {
      // Never leave the child behind: a live server keeps this test file from ever finishing.
      proc.kill('SIGKILL');
      throw new Error(`server did not answer /health within 45 s:\n${out}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, port, stdout: () => out };
}

async function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

test('first start prints the owner key once; restarts keep it and print nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-boot-'));
  try {
    const first = await serve({ AA_DATA_DIR: dir });
    const key = first.stdout().match(/aak_[0-9a-f]{48}/)?.[0];
    assert.ok(key, `no key printed:\n${first.stdout()}`);
    const acc = await fetch(`http://127.0.0.1:${first.port}/account`, { headers: { 'x-api-key': key } });
    assert.equal(acc.status, 200);
    const { id } = (await acc.json()) as { id: string };
    assert.equal(await stop(first.proc), 0, 'graceful SIGTERM exit');

    const second = await serve({ AA_DATA_DIR: dir });
    assert.doesNotMatch(second.stdout(), /aak_/);
    const again = await fetch(`http://127.0.0.1:${second.port}/account`, { headers: { 'x-api-key': key } });
    assert.equal(((await again.json()) as { id: string }).id, id);
    await stop(second.proc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('AA_BOOTSTRAP_API_KEY is deterministic and idempotent across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-boot-'));
  const key = `aak_${'ab'.repeat(24)}`;
  try {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await serve({ AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: key });
      assert.doesNotMatch(s.stdout(), /aak_/, 'a configured key is never printed');
      const res = await fetch(`http://127.0.0.1:${s.port}/admin/accounts`);
      assert.equal(res.status, 404, 'admin API is off without AA_ADMIN_TOKEN');
      const acc = await fetch(`http://127.0.0.1:${s.port}/account`, { headers: { 'x-api-key': key } });
      ids.push(((await acc.json()) as { id: string }).id);
      await stop(s.proc);
    }
    assert.equal(ids[0], ids[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad configuration fails fast with a clear message', async () => {
  const proc = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, AA_BOOTSTRAP_API_KEY: 'not-a-key', AA_DATA_DIR: mkdtempSync(join(tmpdir(), 'aa-boot-')) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += d; });
  const code = await new Promise((r) => proc.once('exit', r));
  assert.equal(code, 2);
  assert.match(err, /AA_BOOTSTRAP_API_KEY must be/);
});
