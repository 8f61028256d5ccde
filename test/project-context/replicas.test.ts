// Two API replicas built as production builds them, sharing PostgreSQL (fresh schema), Redis (fresh prefix)
// and ClickHouse (chdb): a PUT /project-context on A is echoed by B's very next analytics read, although B
// had the old context cached (the invalidation travels through Redis).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { servicesOrSkip, sharedClusterEnv } from '../cluster/services.js';

const skip = await servicesOrSkip('postgres', 'redis');

describe('project context across two replicas', { skip }, () => {
  let a: TestApp;
  let b: TestApp;
  let drop = async () => {};

  before(async () => {
    const cluster = await sharedClusterEnv('ctx');
    drop = cluster.drop;
    a = await startTestApp(cluster.env);
    b = await startTestApp(cluster.env);
    assert.equal(b.stores.meta.engine, 'postgres');
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await drop();
  });

  const put = (t: TestApp, payload: object) => t.app.inject({ method: 'PUT', url: '/project-context', headers: { 'x-api-key': t.ownerKey }, payload });
  const stats = async (t: TestApp, p: string) => (await t.app.inject({ url: `/stats?project=${p}`, headers: { 'x-api-key': t.ownerKey } })).json();

  test('A\'s PUT invalidates B\'s cached context at once', async () => {
    await a.newProject(a.ownerKey, 'rep-site');
    assert.equal((await put(a, { project: 'rep-site', goals: ['One'] })).statusCode, 200);
    assert.deepEqual((await stats(b, 'rep-site')).project_context.goals, ['One'], 'B loads and caches it');
    assert.equal((await put(a, { project: 'rep-site', goals: ['Two'], activation_events: ['signup'] })).statusCode, 200);
    assert.deepEqual((await stats(b, 'rep-site')).project_context, { goals: ['Two'], activation_events: ['signup'], glossary: [] });
    assert.equal((await put(b, { project: 'rep-site' })).statusCode, 200);
    assert.equal('project_context' in (await stats(a, 'rep-site')), false, 'B\'s clear reaches A');
  });
});
