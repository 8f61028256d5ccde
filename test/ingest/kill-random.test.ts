// Fault: kill -9 of the real server at random moments under mixed /track and /track/batch load, three
// times on one data folder (small journal segments and folds, so kills land while appending, folding,
// rotating and deleting segments). Every event that got a 202 must be stored exactly once at the end.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OWNER_KEY } from '../helpers/app.js';
import { assertStoredOnce, call, exited, freePort, startChild } from './server-child.js';

const ROUNDS = 3;
const SENDERS = 48;
const ENV = { AA_JOURNAL_SEGMENT_BYTES: '65536', AA_FOLD_MAX_EVENTS: '400', AA_FOLD_MS: '20' };

test(`kill -9 at ${ROUNDS} random moments under load: every 202'd event is stored exactly once`, { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-kill-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let next = 0;
  const acked = new Set<number>();
  const delays: number[] = [];
  try {
    child = await startChild(dir, port, ENV);
    const admin = new Agent({ keepAlive: false });
    const created = await call(admin, port, 'POST', '/projects', { name: 'killed' }, { 'x-api-key': OWNER_KEY, 'content-type': 'application/json' });
    assert.equal(created.status, 201, created.body);
    const { project_token: token } = JSON.parse(created.body);

    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) child = await startChild(dir, port, ENV);
      const victim: ChildProcess = child!;
      const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
      let killed = false;
      const sender = async (s: number) => {
        while (!killed) {
          const batch = s % 3 === 0;
          const ns = Array.from({ length: batch ? 10 : 1 }, () => next++);
          const events = ns.map((n) => ({ event: 'kill_probe', properties: { n } }));
          const res = await (batch
            ? call(agent, port, 'POST', '/track/batch', { token, events })
            : call(agent, port, 'POST', '/track', { token, ...events[0] })).catch(() => null);
          if (res?.status === 202) for (const n of ns) acked.add(n);
          else if (res && !killed) assert.fail(`unexpected ${res.status} before the kill: ${res.body}`);
        }
      };
      const delay = 150 + Math.floor(Math.random() * 1200);
      delays.push(delay);
      const load = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
      await new Promise((r) => setTimeout(r, delay));
      victim.kill('SIGKILL');
      killed = true;
      await exited(victim);
      await load;
      agent.destroy();
      child = null;
    }
    assert.ok(acked.size > 0, 'events were acknowledged');

    child = await startChild(dir, port, ENV); // the last restart folds what the last kill left in the journal
    child.kill('SIGTERM');
    await exited(child);
    child = null;

    await assertStoredOnce(dir, 'kill_probe', acked, ` (kills after ${delays.join(', ')} ms)`);
  } finally {
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
