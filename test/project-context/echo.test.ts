// The echo (Appendix A): a non-empty context rides along as `project_context` on every project-scoped
// analytics read and nothing else in those bodies changes; empty or cleared → no field. The context is
// cached per project (no meta query per read) and a PUT is seen by the very next read, on every replica.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PROJECT_CONTEXT_CHANNEL, ProjectContextCache, projectContextChanged } from '../../src/project-context/cache.js';
import { MemoryCounters } from '../../src/store/counters/memory.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import type { ProjectContext } from '../../src/store/ports.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { daysAgo, seed } from '../http/analytics-helpers.js';

let t: TestApp;
let P: { id: string; name: string };
let other: string;
let Q: { id: string; name: string };
before(async () => {
  t = await startTestApp();
  P = await t.newProject(t.ownerKey, 'echo-site');
  const d = daysAgo(1);
  await seed(t, P.id, [
    { ts: d, event: 'page_view', user: 'u1', session: 's1', props: { path: '/' } },
    { ts: d + 5_000, event: 'signup', user: 'u1', session: 's1', props: { path: '/signup' } },
    { ts: d + 9_000, event: 'page_view', user: 'u2', session: 's2', props: { path: '/pricing' } },
  ]);
  other = await t.newAccount('pro');
  Q = await t.newProject(other, 'echo-other');
});
after(async () => { await t.close(); });

const CONTEXT: ProjectContext = {
  goals: ['Turn visitors into trial signups'],
  activation_events: ['signup'],
  glossary: [{ event_name: 'signup', term: 'Trial start', definition: 'A visitor created an account.' }],
};

type Call = { method: 'GET' | 'POST'; url: string; body?: unknown };
const READS = (p: string): Call[] => [
  { method: 'GET', url: `/stats?project=${p}` },
  { method: 'GET', url: `/events?project=${p}` },
  { method: 'GET', url: `/properties?project=${p}` },
  { method: 'GET', url: `/properties/received?project=${p}` },
  { method: 'GET', url: `/sessions?project=${p}` },
  { method: 'GET', url: `/sessions/distribution?project=${p}` },
  { method: 'GET', url: `/breakdown?project=${p}&property=path` },
  { method: 'GET', url: `/pages?project=${p}&type=both` },
  { method: 'GET', url: `/heatmap?project=${p}` },
  { method: 'GET', url: `/insights?project=${p}` },
  { method: 'GET', url: `/retention?project=${p}` },
  { method: 'POST', url: '/funnel', body: { project: p, steps: [{ event: 'page_view' }, { event: 'signup' }] } },
  { method: 'POST', url: '/query', body: { project: p, metrics: ['event_count', 'unique_users'], group_by: ['event'] } },
  { method: 'POST', url: '/paths', body: { project: p, goal_event: 'signup' } },
];

async function call(c: Call, key = t.ownerKey) {
  const res = await t.app.inject({ method: c.method, url: c.url, headers: { 'x-api-key': key }, ...(c.body ? { payload: c.body } : {}) });
  assert.equal(res.statusCode, 200, `${c.method} ${c.url}: ${res.body}`);
  return res.json();
}
const putContext = async (payload: unknown, key = t.ownerKey) => {
  const res = await t.app.inject({ method: 'PUT', url: '/project-context', headers: { 'x-api-key': key }, payload: payload as object });
  assert.equal(res.statusCode, 200, res.body);
};

test('empty context: no project_context anywhere; non-empty: every read carries it and is otherwise identical; cleared: gone again', async () => {
  const before = [];
  for (const c of READS(P.name)) {
    const body = await call(c);
    assert.equal('project_context' in body, false, `${c.url} has no project_context while the context is empty`);
    before.push(body);
  }
  const live = await call({ method: 'GET', url: `/live?project=${P.name}` });
  assert.equal('project_context' in live, false);
  assert.equal(before[1].events.length, 3, 'the seeded events are there');

  await putContext({ project: P.name, ...CONTEXT });
  for (const [i, c] of READS(P.name).entries()) {
    const { project_context, ...rest } = await call(c);
    assert.deepEqual(project_context, CONTEXT, `${c.url} echoes the context`);
    assert.deepEqual(rest, before[i], `${c.url}: nothing else changed`);
    // Field order: appended after the report's own fields.
    assert.equal(Object.keys(await call(c)).at(-1), 'project_context');
  }
  const liveAfter = await call({ method: 'GET', url: `/live?project=${P.name}` });
  assert.deepEqual(liveAfter.project_context, CONTEXT);
  // By id as well.
  assert.deepEqual((await call({ method: 'GET', url: `/stats?project=${P.id}` })).project_context, CONTEXT);

  await putContext({ project: P.name });
  for (const c of READS(P.name)) assert.equal('project_context' in (await call(c)), false, `${c.url} after clearing`);
});

test('errors never carry project_context; another account\'s reads never see this project\'s context', async () => {
  await putContext({ project: P.name, ...CONTEXT });
  const bad = await t.app.inject({ url: `/retention?project=${P.name}&period=year`, headers: { 'x-api-key': t.ownerKey } });
  assert.equal(bad.statusCode, 400);
  assert.equal('project_context' in bad.json(), false);
  for (const c of READS(Q.name)) assert.equal('project_context' in (await call(c, other)), false, `${c.url} of the other account`);
  await putContext({ project: Q.name, goals: ['Their own goal'] }, other);
  assert.deepEqual((await call({ method: 'GET', url: `/stats?project=${Q.name}` }, other)).project_context, { goals: ['Their own goal'], activation_events: [], glossary: [] });
  assert.deepEqual((await call({ method: 'GET', url: `/stats?project=${P.name}` })).project_context, CONTEXT);
  await putContext({ project: P.name });
});

test('reads are served from memory (one meta query per project), and the next read after a PUT sees the new context', async () => {
  const meta = t.stores.meta;
  const original = meta.getProjectContext.bind(meta);
  const asked: string[] = [];
  meta.getProjectContext = async (id: string) => { asked.push(id); return original(id); };
  try {
    await putContext({ project: P.name, goals: ['First'] });
    for (let i = 0; i < 5; i++) assert.deepEqual((await call({ method: 'GET', url: `/stats?project=${P.name}` })).project_context.goals, ['First']);
    for (const c of READS(P.name).slice(0, 6)) await call(c);
    assert.deepEqual(asked, [P.id], '11 reads, one meta query');
    await putContext({ project: P.name, goals: ['Second'] });
    assert.deepEqual((await call({ method: 'GET', url: `/events?project=${P.name}` })).project_context.goals, ['Second'], 'the PUT invalidated the cache');
    assert.deepEqual(asked, [P.id, P.id]);
    await putContext({ project: P.name });
    assert.equal('project_context' in (await call({ method: 'GET', url: `/events?project=${P.name}` })), false);
  } finally {
    meta.getProjectContext = original;
  }
});

test('two caches on one Counters and one real store (as two replicas): an invalidation reaches both; other channels leave them be', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-ctx-cache-'));
  const store = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  await store.migrate();
  const counters = new MemoryCounters();
  let queries = 0;
  const meta = { getProjectContext: (id: string) => { queries++; return store.getProjectContext(id); } };
  const set = (id: string, c: ProjectContext) => store.setProjectContext(id, c, new Date().toISOString());
  try {
    const a = new ProjectContextCache(meta, counters);
    const b = new ProjectContextCache(meta, counters);
    assert.equal(await a.get('p1'), null);
    assert.equal(await b.get('p1'), null);
    await set('p1', CONTEXT);
    assert.equal(await a.get('p1'), null, 'cached until invalidated');
    await counters.invalidate('keys', 'p1');
    assert.equal(await b.get('p1'), null, 'another channel does not touch it');
    assert.equal(queries, 2);
    await projectContextChanged(counters, 'p1');
    assert.deepEqual(await a.get('p1'), CONTEXT);
    assert.deepEqual(await b.get('p1'), CONTEXT);
    assert.equal(queries, 4);
    await set('p1', { goals: [], activation_events: [], glossary: [] });
    await counters.invalidate(PROJECT_CONTEXT_CHANNEL, 'p2');
    assert.deepEqual(await a.get('p1'), CONTEXT, 'an invalidation of another project keeps p1');
    await counters.invalidate(PROJECT_CONTEXT_CHANNEL, 'p1');
    assert.equal(await a.get('p1'), null, 'an empty context is no echo');
    // The TTL bounds staleness should an invalidation be lost.
    const short = new ProjectContextCache(meta, counters, 0);
    assert.equal(await short.get('p3'), null);
    await set('p3', CONTEXT);
    assert.deepEqual(await short.get('p3'), CONTEXT);
  } finally {
    await counters.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
