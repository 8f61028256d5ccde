// E28 results on the real event store: first-exposure attribution, conversions after exposure,
// the created_at cut-off, null users, foreign projects/experiments, and the spec's 48/480 vs 72/480.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { variantCounts } from '../../src/experiments/results.js';
import type { EventRow } from '../../src/store/ports.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ATTRIBUTION_EXPECTED, attributionRows, eventRow, exposure } from './rows.js';

let t: TestApp;
let key: string;

before(async () => {
  t = await startTestApp();
  key = await t.newAccount('pro');
});
after(() => t.close());

async function setup(projectName: string, body: Record<string, unknown> = {}) {
  const project = await t.newProject(key, projectName);
  const res = await t.app.inject({
    method: 'POST', url: '/experiments', headers: { 'x-api-key': key },
    payload: { project: projectName, name: 'hero', variants: ['control', 'b'], goal_event: 'signup', ...body },
  });
  assert.equal(res.statusCode, 201, res.body);
  const exp = res.json();
  return { project, exp, c: Date.parse(exp.created_at) };
}

const results = async (id: string) => {
  const res = await t.app.inject({ url: `/experiments/${id}`, headers: { 'x-api-key': key } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().results;
};

test('attribution edge cases: first exposure wins, conversions only after it, created_at cut-off, nulls and strangers ignored', async () => {
  const { project, exp, c } = await setup('attribution');
  const other = await t.newProject(key, 'attribution-other');
  const P = project.id;
  await t.stores.events.insert(attributionRows(P, other.id, c));
  const r = await results(exp.id);
  assert.deepEqual(r.variants, [{ ...ATTRIBUTION_EXPECTED[0], conversion_rate: 0.75 }, { ...ATTRIBUTION_EXPECTED[1], conversion_rate: 0 }]);
  assert.deepEqual(r.lift, { control: 0, b: -1 });
  assert.equal(r.sufficient_data, false);
  assert.equal(r.recommendation, "Not enough data yet: each variant needs about 100 exposures (lowest: 'b' with 5).");
  assert.ok(r.probability_best.control > 0.9);
  assert.equal(Math.round((r.probability_best.control + r.probability_best.b) * 1000), 1000);
});

test('results are read-only over events: identical after pausing, completing, and for another goal', async () => {
  const { project, exp, c } = await setup('readonly', { goal_event: 'purchase' });
  await t.stores.events.insert([
    exposure(project.id, 'hero', 'b', c + 10, 'x1'),
    eventRow(project.id, 'purchase', c + 20, 'x1', null),
    eventRow(project.id, 'signup', c + 20, 'x1', null),
  ]);
  const before = await results(exp.id);
  assert.deepEqual(before.variants[1], { key: 'b', exposures: 1, unique_users: 1, conversions: 1, conversion_rate: 1 });
  await t.app.inject({ method: 'PATCH', url: `/experiments/${exp.id}`, headers: { 'x-api-key': key }, payload: { status: 'paused' } });
  assert.deepEqual(await results(exp.id), before);
  await t.app.inject({ method: 'PATCH', url: `/experiments/${exp.id}`, headers: { 'x-api-key': key }, payload: { status: 'completed', winner: 'b' } });
  assert.deepEqual(await results(exp.id), before);
});

test('the spec example end to end: 48/480 vs 72/480 with 520/515 exposures', async () => {
  const { project, exp, c } = await setup('spec-example', { name: 'signup_cta', variants: ['control', 'new_cta'] });
  const rows: EventRow[] = [];
  const arm = (variant: string, users: number, converted: number, extraExposures: number) => {
    for (let i = 0; i < users; i++) {
      const u = `${variant}_${i}`;
      rows.push(exposure(project.id, 'signup_cta', variant, c + 1000 + i, u));
      if (i < extraExposures) rows.push(exposure(project.id, 'signup_cta', variant, c + 5000 + i, u));
      if (i < converted) rows.push(eventRow(project.id, 'signup', c + 9000 + i, u, null));
    }
  };
  arm('control', 480, 48, 40);
  arm('new_cta', 480, 72, 35);
  await t.stores.events.insert(rows);
  const r = await results(exp.id);
  assert.deepEqual(r.variants, [
    { key: 'control', exposures: 520, unique_users: 480, conversions: 48, conversion_rate: 0.1 },
    { key: 'new_cta', exposures: 515, unique_users: 480, conversions: 72, conversion_rate: 0.15 },
  ]);
  assert.ok(Math.abs(r.probability_best.control - 0.01) <= 0.02, JSON.stringify(r.probability_best));
  assert.ok(Math.abs(r.probability_best.new_cta - 0.99) <= 0.02, JSON.stringify(r.probability_best));
  assert.deepEqual(r.lift, { control: -0.333, new_cta: 0.5 });
  assert.equal(r.sufficient_data, true);
  assert.equal(r.recommendation, `'new_cta' is the winner with ${Math.round(r.probability_best.new_cta * 100)}% probability (50% lift over baseline)`);
});

test('variantCounts binds every value: names with quotes and SQL in keys are plain data', async () => {
  const { project, c } = await setup('binding');
  const exp = {
    id: 'exp_x', project_id: project.id, account_id: 'acc_x', name: "it's", goal_event: "a'); DROP TABLE events; --",
    variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], status: 'active' as const, winner: null,
    created_at: new Date(c).toISOString(), updated_at: new Date(c).toISOString(), completed_at: null,
  };
  await t.stores.events.insert([
    exposure(project.id, "it's", 'b', c + 1, 'q1'),
    eventRow(project.id, "a'); DROP TABLE events; --", c + 2, 'q1', null),
  ]);
  assert.deepEqual(await variantCounts(t.stores.events, exp), [
    { key: 'control', exposures: 0, unique_users: 0, conversions: 0 },
    { key: 'b', exposures: 1, unique_users: 1, conversions: 1 },
  ]);
});

test('an experiment 48 h old without any conversion carries the experiment_no_conversions flag', async () => {
  const project = await t.newProject(key, 'flagged');
  const account = (await t.app.inject({ url: '/account', headers: { 'x-api-key': key } })).json();
  const old = new Date(Date.now() - 50 * 3_600_000).toISOString();
  const base = { project_id: project.id, account_id: account.id, goal_event: 'signup', variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], status: 'active' as const, winner: null, created_at: old, updated_at: old, completed_at: null };
  await t.stores.meta.createExperiment({ ...base, id: 'exp_flagoldnoconv01', name: 'silent' });
  await t.stores.meta.createExperiment({ ...base, id: 'exp_flagoldconv0001', name: 'converting' });
  await t.stores.events.insert([exposure(project.id, 'converting', 'b', Date.now() - 1000, 'f1'), eventRow(project.id, 'signup', Date.now() - 500, 'f1', null)]);
  const get = async (id: string) => (await t.app.inject({ url: `/experiments/${id}`, headers: { 'x-api-key': key } })).json();
  const silent = await get('exp_flagoldnoconv01');
  assert.equal(silent.flags.length, 1);
  assert.equal(silent.flags[0].code, 'experiment_no_conversions');
  assert.match(silent.flags[0].message, /signup/);
  assert.equal('flags' in (await get('exp_flagoldconv0001')), false);
  // A fresh experiment is not flagged either.
  const { exp } = await setup('flag-fresh');
  assert.equal('flags' in (await get(exp.id)), false);
});
