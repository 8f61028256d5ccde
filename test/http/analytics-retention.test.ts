// Tier data retention (§1.5): reads never see rows older than today − retention_days, and the background
// job deletes them (accounts with unlimited retention keep everything).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purgeExpired } from '../../src/jobs/retention-purge.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DAY, daysAgo, get, post, seed, utcDate } from './analytics-helpers.js';

async function rows(t: TestApp, projectId: string): Promise<number> {
  const r = await t.stores.events.query<{ n: number }>({ sql: 'SELECT count(*) AS n FROM events WHERE project_id = $1', params: [projectId] });
  return Number(r[0].n);
}

async function setup(t: TestApp) {
  const freeKey = await t.newAccount('free');
  const free = await t.newProject(freeKey, 'free-site');
  const owned = await t.newProject(t.ownerKey, 'owner-site');
  for (const p of [free, owned]) {
    await seed(t, p.id, [
      { ts: daysAgo(100), event: 'page_view', user: 'old', session: 'old', props: { path: '/old' } },
      { ts: daysAgo(1), event: 'page_view', user: 'new', session: 'new', props: { path: '/new' } },
    ]);
  }
  return { freeKey, free, owned };
}

test('reads of a free account (90 days) never return older rows; the owner (unlimited) sees all', async () => {
  const t = await startTestApp();
  try {
    const { freeKey } = await setup(t);
    const stats = (await get(t, '/stats?project=free-site&since=2020-01-01', freeKey)).json();
    assert.equal(stats.period.from, utcDate(Date.now() - 90 * DAY));
    assert.deepEqual(stats.totals, { unique_users: 1, total_events: 1 });
    assert.deepEqual((await get(t, '/sessions?project=free-site&since=365d', freeKey)).json().sessions.map((s: { session_id: string }) => s.session_id), ['new']);
    const q = (await post(t, '/query', { project: 'free-site', date_from: '2020-01-01', group_by: ['user_id'] }, freeKey)).json();
    assert.deepEqual(q.rows, [{ user_id: 'new', event_count: 1 }]);
    const funnel = (await post(t, '/funnel', { project: 'free-site', since: '2020-01-01', steps: [{ event: 'page_view' }, { event: 'page_view' }] }, freeKey)).json();
    assert.equal(funnel.steps[0].users, 1);
    const owner = (await get(t, '/stats?project=owner-site&since=2020-01-01')).json();
    assert.deepEqual(owner.totals, { unique_users: 2, total_events: 2 });
  } finally {
    await t.close();
  }
});

test('purgeExpired deletes rows past each account\'s retention and keeps unlimited accounts whole', async () => {
  const t = await startTestApp();
  try {
    const { free, owned } = await setup(t);
    const result = await purgeExpired({ config: t.config, meta: t.stores.meta, events: t.stores.events });
    assert.equal(await rows(t, free.id), 1);
    assert.equal(await rows(t, owned.id), 2);
    assert.ok(result.accounts >= 1);
  } finally {
    await t.close();
  }
});

test('the background job runs every AA_PURGE_INTERVAL_MS and stops with the app', async () => {
  const t = await startTestApp({ AA_PURGE_INTERVAL_MS: '50' });
  try {
    const { free } = await setup(t);
    const deadline = Date.now() + 5000;
    while ((await rows(t, free.id)) > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await rows(t, free.id), 1);
  } finally {
    await t.close();
  }
});
