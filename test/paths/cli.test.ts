// `agent-analytics paths` end to end (the real binary against a real server): --json is the API body,
// the default output is a readable tree, usage and server errors map to the CLI exit codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';
import { baseTime, DEFAULT_ENTRY_PATHS, PATHS_EVENTS, trackAll } from './dataset.js';

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
  const site = await h.t.newProject(h.t.ownerKey, 'paths-site');
  await trackAll(h.t, site.project_token, PATHS_EVENTS, baseTime());
});
after(async () => { await h?.close(); });

test('paths --json prints the POST /paths body', async () => {
  const r = await h.cli(['paths', '-p', 'paths-site', '--goal', 'signup', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const body = r.json();
  assert.equal(body.goal_event, 'signup');
  assert.deepEqual(body.bounds, { max_steps: 5, entry_limit: 10, path_limit: 5, candidate_session_cap: 5000 });
  assert.deepEqual(body.entry_paths, DEFAULT_ENTRY_PATHS);
  const short = await h.cli(['paths', '-p', 'paths-site', '--goal', 'signup', '--max-steps', '2', '--path-limit', '2', '--entry-limit', '1', '--since', '7d', '--session-cap', '100', '--json']);
  assert.equal(short.code, 0, short.stderr);
  assert.deepEqual(short.json().bounds, { max_steps: 2, entry_limit: 1, path_limit: 2, candidate_session_cap: 100 });
  assert.deepEqual(short.json().entry_paths.map((e: { entry_page: string }) => e.entry_page), ['/']);
});

test('paths prints a readable tree per entry page with its exit pages', async () => {
  const r = await h.cli(['paths', '-p', 'paths-site', '--goal', 'signup', '--entry-limit', '2']);
  assert.equal(r.code, 0, r.stderr);
  const expected = [
    /^Paths to signup, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: 8 sessions from 2 entry pages \(up to 5 steps, 5 branches per step\)$/m,
    /^\/  \(6 sessions, 3 reached signup: 50\.0%\)$/m,
    /^├─ \/pricing  \(4 sessions, 50\.0% reach the goal\)$/m,
    /^│  ├─ event click_cta  \(2 sessions, 100\.0% reach the goal\)$/m,
    /^│  │  └─ GOAL signup  \(2 sessions\)$/m,
    /^│  │        └─ \/c  \(1 session, 0\.0% reach the goal\)$/m,
    /^│  │           └─ still going after 5 steps \(exit \/signup\)  \(1 session\)$/m,
    /^│     └─ \/docs  \(1 session, 0\.0% reach the goal\)$/m,
    /^│        └─ dropped off \(exit \/docs\)  \(1 session\)$/m,
    /^└─ dropped off \(exit \/\)  \(1 session\)$/m,
    /^EXIT PAGE +SESSIONS +CONVERTED +DROP-OFFS +DROP-OFF RATE$/m,
    /^\/signup +3 +2 +1 +33\.3%$/m,
    /^\/pricing  \(2 sessions, 1 reached signup: 50\.0%\)$/m,
  ];
  for (const re of expected) assert.match(r.stdout, re);
  assert.doesNotMatch(r.stdout, /\/blog/, 'entry_limit 2 leaves /blog out');
});

test('paths: --goal and --project are required (64); server validation (8) and unknown project (4) keep the API code', async () => {
  assert.equal((await h.cli(['paths', '-p', 'paths-site'])).code, 64);
  assert.equal((await h.cli(['paths', '--goal', 'signup'])).code, 64);
  const bad = await h.cli(['paths', '-p', 'paths-site', '--goal', 'signup', '--max-steps', '9', '--json']);
  assert.equal(bad.code, 8, bad.stderr);
  assert.equal(bad.json().error, 'MISSING_FIELDS');
  const unknown = await h.cli(['paths', '-p', 'nope', '--goal', 'signup', '--json']);
  assert.equal(unknown.code, 4);
  assert.equal(unknown.json().error, 'NOT_FOUND');
});
