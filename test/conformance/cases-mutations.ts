// Conformance: answers after the two rewrites an EventStore performs on stored events — identify
// (reassignUser: history answers as if it always carried the canonical id) and the retention purge
// (purgeBefore: a session that lost its first events starts at its first remaining one). A store of its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readContext } from '../../src/query/run.js';
import { queryReport } from '../../src/reports/query.js';
import { sessionsReport } from '../../src/reports/sessions.js';
import { statsReport } from '../../src/reports/stats.js';
import type { EventRow, EventStore } from '../../src/store/ports.js';
import { type EventSpec, eventRows } from '../helpers/events.js';
import { NOW } from './dataset.js';
import type { ConformanceOptions } from './suite.js';

const P = 'proj_conf_mutations';
const mut = { projectId: P, project: 'mut' };
const MUT: EventSpec[] = [
  { ts: '2026-02-10T10:00:00Z', event: 'page_view', user: 'anon_a', session: 'm0', props: { path: '/early' } },
  { ts: '2026-03-02T10:00:00Z', event: 'page_view', user: 'anon_a', session: 'm0', props: { path: '/later' } },
  { ts: '2026-03-05T10:00:00Z', event: 'page_view', user: 'anon_a', session: 'm1', props: { path: '/' } },
  { ts: '2026-03-05T10:01:00Z', event: '$click', user: 'anon_a', session: 'm1', props: { path: '/' } },
  { ts: '2026-03-06T09:00:00Z', event: 'page_view', user: 'user_b', session: 'm2', props: { path: '/b' } },
  { ts: '2026-03-06T12:00:00Z', event: 'signup', user: 'anon_a', session: null, props: {} },
];

export function mutationCases(openStore: () => Promise<EventStore>, opts: ConformanceOptions = {}): void {
  describe('after identify and the retention purge', () => {
    let store: EventStore;
    let rows: EventRow[];
    before(async () => {
      store = await openStore();
      rows = eventRows(P, MUT);
      await store.insert(rows);
    });
    after(async () => {
      await store?.close();
    });
    const ctx = () => readContext(store, -1, NOW);
    const sessionUsers = async (since: string) =>
      (await sessionsReport(ctx(), { ...mut, since, limit: undefined, user_id: undefined, is_bounce: undefined })).sessions.map((s) => [s.session_id, s.user_id]);

    test('identify: every past event, session and distinct count answers with the canonical id', async () => {
      assert.deepEqual((await statsReport(ctx(), { ...mut, since: '30d', groupBy: 'day' })).totals, { unique_users: 2, total_events: 6 });
      await store.reassignUser(P, 'anon_a', 'user_b');
      // A late retry of the original batch must not bring the anonymous id (or a second copy) back.
      if (opts.retriedBatches) await store.insert(rows);
      const stats = await statsReport(ctx(), { ...mut, since: '30d', groupBy: 'day' });
      assert.deepEqual(stats.totals, { unique_users: 1, total_events: 6 });
      assert.deepEqual(stats.events, [
        { event: 'page_view', count: 4, unique_users: 1 },
        { event: '$click', count: 1, unique_users: 1 },
        { event: 'signup', count: 1, unique_users: 1 },
      ]);
      // m0 spans 02-10 10:00 → 03-02 10:00 (20 days), m1 60 s, m2 0 s.
      assert.deepEqual(stats.sessions, { total_sessions: 3, bounce_rate: 0.667, avg_duration: 576020000, pages_per_session: 1.7, sessions_per_user: 3 });
      assert.deepEqual(await sessionUsers('30d'), [['m2', 'user_b'], ['m1', 'user_b'], ['m0', 'user_b']]);
      const q = await queryReport(ctx(), { ...mut, body: { group_by: ['user_id'], metrics: ['event_count', 'unique_users'], date_from: '30d' } });
      assert.deepEqual(q.rows, [{ user_id: 'user_b', event_count: 6, unique_users: 1 }]);
    });

    test('purge: older events vanish and a session that lost its start begins at its first remaining event', async () => {
      await store.purgeBefore([P], '2026-03-01');
      const stats = await statsReport(ctx(), { ...mut, since: '30d', groupBy: 'day' });
      assert.deepEqual(stats.totals, { unique_users: 1, total_events: 5 });
      const sessions = await sessionsReport(ctx(), { ...mut, since: '7d', limit: undefined, user_id: undefined, is_bounce: undefined });
      assert.deepEqual(sessions.sessions.at(-1), {
        session_id: 'm0', user_id: 'user_b', project_id: P, start_time: Date.parse('2026-03-02T10:00:00Z'), end_time: Date.parse('2026-03-02T10:00:00Z'),
        duration: 0, entry_page: '/later', exit_page: '/later', event_count: 1, is_bounce: 1, date: '2026-03-02',
      });
      assert.deepEqual(sessions.sessions.map((s) => s.session_id), ['m2', 'm1', 'm0']);
    });
  });
}
