// `agent-analytics journey` end to end (the real binary against a real server): --json is the API body, the
// default output a timeline table, usage and server errors map to the CLI exit codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';
import { baseTime, expectedAnswers, loadJourneyDataset, rows } from './dataset.js';

let h: CliHarness;
let t0: number;
before(async () => {
  h = await startCliHarness();
  t0 = baseTime();
  await loadJourneyDataset(h.t, h.t.ownerKey, t0);
});
after(async () => { await h?.close(); });

test('journey --json prints the GET /journey body (--user-id works as --user)', async () => {
  const r = await h.cli(['journey', '-p', 'journey-site', '--user', 'anon_a', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { events, ...rest } = r.json();
  const { events: expected, ...expectedRest } = expectedAnswers(t0).viaAnonymousId as { events: unknown[] };
  assert.deepEqual({ ...rest, events: rows(events, t0) }, { ...expectedRest, events: expected });
  const limited = await h.cli(['journey', '-p', 'journey-site', '--user-id', 'user_42', '--since', '7d', '--limit', '2', '--json']);
  assert.equal(limited.code, 0, limited.stderr);
  assert.equal(limited.json().count, 2);
  assert.equal(limited.json().truncated, true);
});

test('journey prints the timeline: summary, identity, one row per event, how to read on', async () => {
  const r = await h.cli(['journey', '-p', 'journey-site', '--user', 'anon_a', '--limit', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Journey of user_42 in journey-site, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: 9 events in 3 sessions \(first \d{4}-\d\d-\d\d, last \d{4}-\d\d-\d\d\)$/m);
  assert.match(r.stdout, /^\(anon_a was identified as user_42\)$/m);
  assert.match(r.stdout, /^TIME \(UTC\) +EVENT +SESSION +PAGE +PROPERTIES$/m);
  assert.match(r.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +page_view +s1 +\/pricing +referrer=https:\/\/www\.google\.com\/$/m);
  assert.match(r.stdout, /^Showing the first 3 events of 9: pass a larger --limit/m);
  const none = await h.cli(['journey', '-p', 'journey-site', '--user', 'nobody']);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /^No events of user nobody in journey-site from /);
});

test('journey: --project and --user are required (64); email (8) and an unknown project (4) keep the API code', async () => {
  assert.equal((await h.cli(['journey', '--user', 'u'])).code, 64);
  assert.equal((await h.cli(['journey', '-p', 'journey-site'])).code, 64);
  const email = await h.cli(['journey', '-p', 'journey-site', '--email', 'a@example.com', '--json']);
  assert.equal(email.code, 8, email.stderr);
  assert.equal(email.json().error, 'EMAIL_LOOKUP_UNSUPPORTED');
  const unknown = await h.cli(['journey', '-p', 'nope', '--user', 'u', '--json']);
  assert.equal(unknown.code, 4);
  assert.equal(unknown.json().error, 'NOT_FOUND');
});
