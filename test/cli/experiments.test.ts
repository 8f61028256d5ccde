// `experiments` end to end: create, list, results, pause/resume/complete, delete, and their failure exit codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from './helpers.js';

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
  await h.t.newProject(h.t.ownerKey, 'exp-site');
});
after(async () => { await h.close(); });

test('experiment lifecycle through the CLI', async () => {
  const created = await h.cli(['experiments', 'create', '-p', 'exp-site', '--name', 'signup_cta', '--variants', 'control,new_cta', '--goal', 'signup', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const e = created.json();
  assert.match(e.id, /^exp_/);
  assert.deepEqual(e.variants, [{ key: 'control', weight: 50 }, { key: 'new_cta', weight: 50 }]);
  assert.equal(e.status, 'active');

  const dup = await h.cli(['experiments', 'create', '-p', 'exp-site', '--name', 'signup_cta', '--variants', 'a,b', '--goal', 'signup']);
  assert.equal(dup.code, 7);
  assert.match(dup.stderr, /EXPERIMENT_NAME_EXISTS/);

  const list = await h.cli(['experiments', 'list', '--project', 'exp-site', '--json']);
  assert.equal(list.code, 0);
  assert.deepEqual(list.json().experiments.map((x: { id: string }) => x.id), [e.id]);
  assert.match((await h.cli(['experiments', 'list', '-p', 'exp-site'])).stdout, /signup_cta +active +signup +control 50%, new_cta 50%/);

  const got = await h.cli(['experiments', 'get', e.id, '--json']);
  assert.equal(got.code, 0);
  const r = got.json().results;
  assert.deepEqual(r.variants.map((v: { key: string }) => v.key), ['control', 'new_cta']);
  assert.equal(r.sufficient_data, false);
  const human = await h.cli(['experiments', 'get', e.id]);
  assert.match(human.stdout, /^VARIANT +EXPOSURES +USERS +CONVERSIONS +RATE +P\(BEST\) +LIFT$/m);
  assert.match(human.stdout, /Not enough data yet/);

  assert.equal((await h.cli(['experiments', 'pause', e.id, '--json'])).json().status, 'paused');
  const again = await h.cli(['experiments', 'pause', e.id, '--json']);
  assert.equal(again.code, 8, 'paused → paused is rejected');
  assert.equal(again.json().error, 'INVALID_EXPERIMENT_STATUS');
  assert.equal((await h.cli(['experiments', 'resume', e.id, '--json'])).json().status, 'active');
  const done = await h.cli(['experiments', 'complete', e.id, '--winner', 'new_cta', '--json']);
  assert.equal(done.json().status, 'completed');
  assert.equal(done.json().winner, 'new_cta');

  const del = await h.cli(['experiments', 'delete', e.id, '--json']);
  assert.deepEqual(del.json(), { ok: true, deleted: e.id });
  const gone = await h.cli(['experiments', 'get', e.id]);
  assert.equal(gone.code, 4);
  assert.match(gone.stderr, /EXPERIMENT_NOT_FOUND/);
  assert.match(gone.stderr, /experiments list --project/);
});

test('free accounts get PRO_REQUIRED (exit 5); missing flags are usage errors', async () => {
  const free = await h.t.newAccount('free');
  await h.t.newProject(free, 'free-site');
  const r = await h.cli(['experiments', 'create', '-p', 'free-site', '--name', 'x', '--variants', 'a,b', '--goal', 'signup'], { AA_API_KEY: free });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /PRO_REQUIRED/);
  assert.equal((await h.cli(['experiments', 'create', '-p', 'exp-site', '--name', 'x', '--goal', 'signup'])).code, 64);
  assert.equal((await h.cli(['experiments', 'get'])).code, 64);
  assert.equal((await h.cli(['experiments'])).code, 64);
});

test('server flags are surfaced: an old experiment without conversions', async () => {
  const account = (await h.cli(['whoami', '--json'])).json().account;
  const project = (await h.cli(['projects', 'get', 'exp-site', '--json'])).json();
  const old = new Date(Date.now() - 50 * 3_600_000).toISOString();
  await h.t.stores.meta.createExperiment({
    id: 'exp_clioldnoconv001', project_id: project.id, account_id: account.id, name: 'silent', goal_event: 'signup_done',
    variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], status: 'active', winner: null, created_at: old, updated_at: old, completed_at: null,
  });
  const human = await h.cli(['experiments', 'get', 'exp_clioldnoconv001']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /\nWARNING \[experiment_no_conversions\] Experiment 'silent' is 50 h old and no variant has a 'signup_done' conversion/);
  const json = await h.cli(['experiments', 'get', 'exp_clioldnoconv001', '--json']);
  assert.equal(json.json().flags[0].code, 'experiment_no_conversions');
});
