// Crash safety (P6): load a real server process with concurrent single events, kill -9 it mid-load,
// restart it on the same data folder, and check every 202'd event is stored exactly once.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OWNER_KEY } from '../helpers/app.js';
import { assertStoredOnce, call, exited, freePort, startChild } from './server-child.js';

const TOTAL = 3000;
const KILL_AFTER_ACKS = 1000;

test(`kill -9 under load: every 202 of ${TOTAL} concurrent events survives exactly once`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-crash-'));
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  let child: ChildProcess | null = null;
  try {
    const port = await freePort();
    child = await startChild(dir, port);
    const created = await call(agent, port, 'POST', '/projects', { name: 'crashy' }, { 'x-api-key': OWNER_KEY, 'content-type': 'application/json' });
    assert.equal(created.status, 201, created.body);
    const { project_token: token, id: projectId } = JSON.parse(created.body);

    const acked = new Set<number>();
    const victim = child;
    let killed = false;
    const sends = Array.from({ length: TOTAL }, (_, n) =>
      call(agent, port, 'POST', '/track', { token, event: 'crash_probe', properties: { n, nonce: `${n}-${Math.random()}` } })
        .then((res) => {
          if (res.status === 202) acked.add(n);
          else if (!killed) assert.fail(`unexpected ${res.status} before the kill: ${res.body}`);
          if (!killed && acked.size >= KILL_AFTER_ACKS) {
            killed = true;
            victim.kill('SIGKILL');
          }
        }, () => {}), // connection reset by the kill: not acknowledged, may or may not be stored
    );
    await Promise.all(sends);
    await exited(victim);
    assert.ok(killed, 'the server was killed mid-load');
    assert.ok(acked.size >= KILL_AFTER_ACKS && acked.size < TOTAL, `acked ${acked.size} of ${TOTAL}: the kill landed mid-load`);
    agent.destroy();

    // Restart on the same folder: DuckDB replays its WAL; usage is reconciled from the stored events.
    const agent2 = new Agent({ keepAlive: false });
    child = await startChild(dir, port);
    const detail = await call(agent2, port, 'GET', `/projects/${projectId}`, undefined, { 'x-api-key': OWNER_KEY });
    const totalEvents = JSON.parse(detail.body).total_events;
    const after = await call(agent2, port, 'POST', '/track', { token, event: 'after_restart' });
    assert.equal(after.status, 202, 'the restarted server ingests');
    child.kill('SIGTERM');
    await exited(child);
    child = null;

    const stored = await assertStoredOnce(dir, 'crash_probe', acked);
    assert.equal(totalEvents, stored, 'usage reconciled with the stored events after the crash');
  } finally {
    agent.destroy();
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
