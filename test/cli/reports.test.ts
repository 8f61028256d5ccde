// The analytics read commands end to end (--json = the API body, human tables, exit codes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from './helpers.js';

let h: CliHarness;
const P = 'report-site';
before(async () => {
  h = await startCliHarness();
  const { project_token } = await h.t.newProject(h.t.ownerKey, P);
  const now = Date.now();
  const events = [
    { event: 'page_view', user_id: 'u1', session_id: 's1', timestamp: now - 60_000, properties: { path: '/', referrer: 'https://news.example/' } },
    { event: 'signup_start', user_id: 'u1', session_id: 's1', timestamp: now - 50_000, properties: { path: '/signup', plan: 'pro' } },
    { event: 'signup', user_id: 'u1', session_id: 's1', timestamp: now - 40_000, properties: { path: '/signup', plan: 'pro' } },
    { event: 'page_view', user_id: 'u2', session_id: 's2', timestamp: now - 30_000, properties: { path: '/pricing', referrer: 'https://search.example/' } },
  ];
  const res = await h.t.app.inject({ method: 'POST', url: '/track/batch', payload: { token: project_token, events } });
  assert.equal(res.statusCode, 202, res.body);
});
after(async () => { await h.close(); });

const cases: { route: [string, string]; args: string[]; check: (body: any) => void; human: RegExp }[] = [
  { route: ['GET', '/stats'], args: ['stats', '-p', P], check: (b) => { assert.equal(b.totals.total_events, 4); assert.equal(b.totals.unique_users, 2); assert.ok(Array.isArray(b.timeSeries)); }, human: /^4 events, 2 unique users, 2 sessions$/m },
  { route: ['POST', '/query'], args: ['query', '-p', P, '--metrics', 'event_count,unique_users', '--group-by', 'event', '--filter', 'properties.path contains sign'], check: (b) => { assert.deepEqual(b.group_by, ['event']); assert.equal(b.count, b.rows.length); assert.deepEqual(b.rows.map((r: any) => r.event).sort(), ['signup', 'signup_start']); }, human: /^EVENT +EVENT_COUNT +UNIQUE_USERS$/m },
  { route: ['GET', '/properties'], args: ['properties', '-p', P], check: (b) => { assert.ok(b.property_keys.includes('plan')); assert.ok(b.events.some((e: any) => e.event === 'signup')); }, human: /property keys: .*plan/ },
  { route: ['GET', '/properties/received'], args: ['properties', '-p', P, '--received'], check: (b) => assert.ok(b.properties.some((p: any) => p.key === 'plan' && p.event === 'signup')), human: /^KEY +EVENT$/m },
  { route: ['GET', '/sessions'], args: ['sessions', '-p', P], check: (b) => assert.deepEqual(b.sessions.map((s: any) => s.session_id).sort(), ['s1', 's2']), human: /2 session\(s\)/ },
  { route: ['GET', '/sessions/distribution'], args: ['sessions', '-p', P, '--distribution'], check: (b) => assert.ok(Array.isArray(b.distribution)), human: /^LENGTH +SESSIONS +BOUNCES +AVG EVENTS +SHARE$/m },
  { route: ['GET', '/breakdown'], args: ['breakdown', '-p', P, '--property', 'path'], check: (b) => { assert.equal(b.property, 'path'); assert.equal(b.total_events, 4); }, human: /^PATH +COUNT +USERS +SHARE$/m },
  { route: ['GET', '/stats'], args: ['stats', '-p', P, '--filter', 'properties.path eq /pricing'], check: (b) => { assert.equal(b.totals.total_events, 1); assert.equal(b.sessions.total_sessions, 1); }, human: /^1 events, 1 unique users, 1 sessions$/m },
  { route: ['GET', '/breakdown'], args: ['breakdown', '-p', P, '--property', 'plan', '--filter', 'event eq signup', '--filter', 'properties.path contains SIGN'], check: (b) => { assert.equal(b.total_events, 1); assert.deepEqual(b.values.map((x: any) => [x.value, x.count]), [['pro', 1]]); }, human: /^PLAN +COUNT +USERS +SHARE$/m },
  { route: ['GET', '/pages'], args: ['pages', '-p', P, '--filter', 'event eq signup'], check: (b) => assert.deepEqual(b.entry_pages.map((x: any) => [x.page, x.sessions]), [['/', 1]]), human: /^Entry pages\nPAGE +SESSIONS/m },
  { route: ['GET', '/insights'], args: ['insights', '-p', P, '--period', '30d'], check: (b) => { assert.equal(b.metrics.total_events.current, 4); assert.ok(['growing', 'stable', 'declining'].includes(b.trend)); }, human: /trend (growing|stable|declining)/ },
  { route: ['GET', '/pages'], args: ['pages', '-p', P, '--type', 'both'], check: (b) => { assert.ok(Array.isArray(b.entry_pages)); assert.ok(Array.isArray(b.exit_pages)); }, human: /^Entry pages\nPAGE +SESSIONS/m },
  { route: ['GET', '/heatmap'], args: ['heatmap', '-p', P], check: (b) => { assert.ok(b.heatmap.length >= 1); assert.ok(b.peak); }, human: /^peak \w+day \d\d:00 UTC/m },
  { route: ['POST', '/funnel'], args: ['funnel', '-p', P, '--steps', 'page_view,signup_start,signup'], check: (b) => { assert.deepEqual(b.steps.map((s: any) => s.users), [2, 1, 1]); assert.equal(b.overall_conversion_rate, 0.5); }, human: /overall conversion 50\.0%; biggest drop-off before step 2 \(signup_start\): 50\.0%/ },
  { route: ['GET', '/retention'], args: ['retention', '-p', P, '--period', 'day', '--cohorts', '3'], check: (b) => { assert.equal(b.period, 'day'); assert.equal(b.users_analyzed, 2); }, human: /^COHORT +USERS +DAY 0/m },
];

for (const c of cases) {
  test(`${c.args.slice(0, c.args.includes('--received') || c.args.includes('--distribution') ? 4 : 1).join(' ')} (${c.route.join(' ')})`, async () => {
    const json = await h.cli([...c.args, '--json']);
    assert.equal(json.code, 0, json.stderr);
    c.check(json.json());
    const human = await h.cli(c.args);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, c.human);
  });
}

test('report failures: no --project 64, unknown project 4, server-side validation 8', async () => {
  assert.equal((await h.cli(['stats'])).code, 64);
  assert.equal((await h.cli(['breakdown', '-p', P])).code, 64, '--property is required');
  assert.equal((await h.cli(['funnel', '-p', P])).code, 64, '--steps is required');
  const unknown = await h.cli(['stats', '-p', 'nope', '--json']);
  assert.equal(unknown.code, 4);
  assert.equal(unknown.json().error, 'NOT_FOUND');
  assert.equal((await h.cli(['stats', '-p', P, '--filter', 'path is /'])).code, 64, 'a --filter without an operator is a usage error');
  const field = await h.cli(['pages', '-p', P, '--filter', 'path eq /', '--json']);
  assert.equal(field.code, 8);
  assert.equal(field.json().error, 'INVALID_FILTER_FIELD');
  const bad = await h.cli(['insights', '-p', P, '--period', '2w', '--json']);
  assert.equal(bad.code, 8);
  assert.equal(bad.json().error, 'MISSING_FIELDS');
});
