// Smoke test of bench:query's HTTP workload (bench/http-workload.ts), so it cannot rot: 2,000 events through the
// real server on DuckDB, end to end (projects created over HTTP, /track/batch, visibility wait, every report), plus
// the properties the issue asks of the data: shuffled arrival, high-cardinality users, JSON-only keys, determinism.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { batches, type Dataset, runHttpWorkload, WORKLOAD_PROJECTS, workloadEndpoints } from '../../bench/http-workload.js';

const emptyDataset = (): Dataset => ({ events: WORKLOAD_PROJECTS.map(() => 0), users: WORKLOAD_PROJECTS.map(() => 0), sessions: 0, heavyUser: '' });
const NOW = Date.UTC(2026, 5, 15, 12);

test('the generator is seeded, shuffles arrival order and spreads users, sessions and projects', () => {
  const tokens = WORKLOAD_PROJECTS.map((_, i) => `aat_${i}`);
  const ds = emptyDataset();
  const bodies = [...batches(20_000, 7, NOW, tokens, ds)].map((b) => b.body);
  assert.deepEqual([...batches(20_000, 7, NOW, tokens, emptyDataset())].map((b) => b.body), bodies, 'same seed, same requests');
  assert.notDeepEqual([...batches(20_000, 8, NOW, tokens, emptyDataset())].map((b) => b.body), bodies);
  // Another clock: the same sessions and users (only the times move), so two runs measure the same data.
  const later = emptyDataset();
  for (const _ of batches(20_000, 7, NOW + 13 * 3_600_000, tokens, later));
  assert.deepEqual(later, ds);

  const events = bodies.flatMap((b) => (JSON.parse(b) as { events: { token: string; user_id: string; session_id: string; timestamp: number; properties: Record<string, unknown> }[] }).events);
  assert.equal(events.length, 20_000);
  assert.ok(bodies.every((b) => new Set((JSON.parse(b) as { events: { token: string }[] }).events.map((e) => e.token)).size === 1), 'one project per request');
  // Projects of different sizes, the measured one the largest.
  const shares = ds.events.map((n) => n / 20_000);
  shares.forEach((s, i) => assert.ok(Math.abs(s - WORKLOAD_PROJECTS[i].share) < 0.03, `project ${i}: ${s}`));
  // Arrival order is not time order: about half of consecutive pairs go back in time.
  let back = 0;
  for (let i = 1; i < events.length; i++) if (events[i].timestamp < events[i - 1].timestamp) back++;
  assert.ok(back > events.length * 0.4, `${back} of ${events.length} steps back in time`);
  // Within the ingestion window (30 days back, none ahead), over most of the month.
  const ts = events.map((e) => e.timestamp);
  assert.ok(Math.min(...ts) >= NOW - 30 * 86_400_000 && Math.max(...ts) <= NOW);
  assert.ok(Math.max(...ts) - Math.min(...ts) > 27 * 86_400_000);
  // High-cardinality users (≥ 5 % of events), counted as the generator reports them.
  const users = new Set(events.map((e) => e.user_id)).size;
  assert.equal(users, ds.users.reduce((a, b) => a + b, 0));
  assert.ok(users >= 0.05 * events.length, `${users} users`);
  // Sessions of 1–8 events.
  const perSession = new Map<string, number>();
  for (const e of events) perSession.set(e.session_id, (perSession.get(e.session_id) ?? 0) + 1);
  assert.equal(perSession.size, ds.sessions);
  assert.ok([...perSession.values()].every((n) => n >= 1 && n <= 8));
  // JSON-only keys next to the promoted ones.
  for (const key of ['plan', 'variant', 'price', 'timezone', 'path', 'referrer', 'utm_source']) {
    assert.ok(events.some((e) => e.properties[key] !== undefined), key);
  }
});

test('the HTTP workload runs end to end on DuckDB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-http-workload-'));
  const answers = new Map<string, unknown>();
  try {
    const r = await runHttpWorkload({
      engine: 'duckdb', events: 2000, runs: 2, seed: 42, connections: 4, dir,
      onAnswer: (_name, path, body, answer) => answers.set(body ? `${path} ${JSON.stringify(body)}` : path, answer),
    });
    assert.equal(r.accepted, 2000);
    assert.equal(r.projects.reduce((a, p) => a + p.events, 0), 2000);
    assert.equal(r.timings.length, workloadEndpoints('x').length);
    for (const t of r.timings) assert.equal(t.failed, 0, `${t.name}: ${t.firstError}`);
    assert.ok(r.rssPeakMb > 0);

    // The JSON-only keys are really there to break down and filter by.
    const plan = answers.get('/breakdown?property=plan&project=shop') as { values: { value: string }[] };
    assert.ok(plan.values.length > 0, 'breakdown of plan has values');
    const filtered = [...answers].find(([k]) => k.includes('"properties.plan","op":"eq","value":"pro"'))![1] as { rows: { event_count: number }[] };
    assert.ok(filtered.rows[0].event_count > 0, 'a filter on plan matches events');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
