// Conformance: session questions on project `main` (sessions list, duration distribution, entry/exit pages).
// Sessions of dataset.ts, worked out by hand:
//   s1 u1 03-03 23:59:30 → 03-04 00:00:40  70 s  / → /pricing      3 events  bounce (page_view, $scroll_depth)
//   s2 u2 03-05 10:00:00 → 10:00:05         5 s  / → /welcome      3 events  (signup; exit tie → later-ingested)
//   s3 u3 03-06 09:00:00 → 09:01:00        60 s  https://a.test/blog → null  3 events ($click; user set mid-session)
//   s4 –  03-07 14:30:00                    0 s  /pricing → /pricing 1 event  bounce
//   s5 u2 03-08 20:00:00 → 20:12:00       720 s  /pricing → /checkout 2 events (purchase)
//   s6 u4 03-01 23:50:00 → 03-02 00:05:00 900 s  /old → /docs      2 events  bounce (dated 03-01: outside 7d)
//   s7 u5 03-09 09:00:00 → 09:00:30        30 s  / → /            2 events  bounce ($error is non-interactive)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pagesReport } from '../../src/reports/pages.js';
import { distributionReport, sessionsReport } from '../../src/reports/sessions.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const main = { projectId: PROJECTS.main, project: 'main' };
const empty = { projectId: PROJECTS.empty, project: 'empty' };
const t = (iso: string) => Date.parse(iso);

const S = {
  s7: { session_id: 's7', user_id: 'u5', project_id: PROJECTS.main, start_time: t('2026-03-09T09:00:00Z'), end_time: t('2026-03-09T09:00:30Z'), duration: 30000, entry_page: '/', exit_page: '/', event_count: 2, is_bounce: 1, date: '2026-03-09' },
  s5: { session_id: 's5', user_id: 'u2', project_id: PROJECTS.main, start_time: t('2026-03-08T20:00:00Z'), end_time: t('2026-03-08T20:12:00Z'), duration: 720000, entry_page: '/pricing', exit_page: '/checkout', event_count: 2, is_bounce: 0, date: '2026-03-08' },
  s4: { session_id: 's4', user_id: null, project_id: PROJECTS.main, start_time: t('2026-03-07T14:30:00Z'), end_time: t('2026-03-07T14:30:00Z'), duration: 0, entry_page: '/pricing', exit_page: '/pricing', event_count: 1, is_bounce: 1, date: '2026-03-07' },
  s3: { session_id: 's3', user_id: 'u3', project_id: PROJECTS.main, start_time: t('2026-03-06T09:00:00Z'), end_time: t('2026-03-06T09:01:00Z'), duration: 60000, entry_page: 'https://a.test/blog', exit_page: null, event_count: 3, is_bounce: 0, date: '2026-03-06' },
  s2: { session_id: 's2', user_id: 'u2', project_id: PROJECTS.main, start_time: t('2026-03-05T10:00:00Z'), end_time: t('2026-03-05T10:00:05Z'), duration: 5000, entry_page: '/', exit_page: '/welcome', event_count: 3, is_bounce: 0, date: '2026-03-05' },
  s1: { session_id: 's1', user_id: 'u1', project_id: PROJECTS.main, start_time: t('2026-03-03T23:59:30Z'), end_time: t('2026-03-04T00:00:40Z'), duration: 70000, entry_page: '/', exit_page: '/pricing', event_count: 3, is_bounce: 1, date: '2026-03-03' },
  s6: { session_id: 's6', user_id: 'u4', project_id: PROJECTS.main, start_time: t('2026-03-01T23:50:00Z'), end_time: t('2026-03-02T00:05:00Z'), duration: 900000, entry_page: '/old', exit_page: '/docs', event_count: 2, is_bounce: 1, date: '2026-03-01' },
};

export function sessionCases(c: Conformance): void {
  test('sessions: newest first, derived fields of §1.6 for each session dated in the window', async () => {
    const r = await sessionsReport(c.ctx(), { ...main, since: '7d', limit: undefined, user_id: undefined, is_bounce: undefined });
    assert.deepEqual(r, { project: 'main', sessions: [S.s7, S.s5, S.s4, S.s3, S.s2, S.s1] });
  });

  test('sessions: user_id matches the derived user, is_bounce 0/1 filters, other values are ignored, limit', async () => {
    const byUser = await sessionsReport(c.ctx(), { ...main, since: '7d', limit: undefined, user_id: 'u2', is_bounce: undefined });
    assert.deepEqual(byUser.sessions, [S.s5, S.s2]);
    const bounced = await sessionsReport(c.ctx(), { ...main, since: '7d', limit: undefined, user_id: undefined, is_bounce: '1' });
    assert.deepEqual(bounced.sessions.map((s) => s.session_id), ['s7', 's4', 's1']);
    const engaged = await sessionsReport(c.ctx(), { ...main, since: '7d', limit: undefined, user_id: undefined, is_bounce: '0' });
    assert.deepEqual(engaged.sessions.map((s) => s.session_id), ['s5', 's3', 's2']);
    const ignored = await sessionsReport(c.ctx(), { ...main, since: '7d', limit: '2', user_id: undefined, is_bounce: 'yes' });
    assert.deepEqual(ignored.sessions.map((s) => s.session_id), ['s7', 's5']);
    const older = await sessionsReport(c.ctx(), { ...main, since: '2026-03-01', limit: undefined, user_id: 'u4', is_bounce: undefined });
    assert.deepEqual(older.sessions, [S.s6]);
    const injected = await sessionsReport(c.ctx(), { ...main, since: '30d', limit: undefined, user_id: "u1' OR '1'='1", is_bounce: undefined });
    assert.deepEqual(injected.sessions, []);
  });

  test('sessions/distribution: non-empty buckets in order, median and engaged share', async () => {
    assert.deepEqual(await distributionReport(c.ctx(), { ...main, since: '7d' }), {
      project: 'main',
      distribution: [
        { bucket: '0s', sessions: 1, bounces: 1, avg_events: 1, pct: 16.7 },
        { bucket: '1-10s', sessions: 1, bounces: 0, avg_events: 3, pct: 16.7 },
        { bucket: '30-60s', sessions: 1, bounces: 1, avg_events: 2, pct: 16.7 },
        { bucket: '1-3m', sessions: 2, bounces: 1, avg_events: 3, pct: 33.3 },
        { bucket: '10m+', sessions: 1, bounces: 0, avg_events: 2, pct: 16.7 },
      ],
      median_bucket: '30-60s',
      engaged_pct: 66.7,
    });
    assert.deepEqual(await distributionReport(c.ctx(), { ...empty, since: '7d' }), { project: 'empty', distribution: [], median_bucket: null, engaged_pct: 0 });
  });

  test('pages: entry pages (url fallback), exit pages (null exits skipped, ties by page)', async () => {
    assert.deepEqual(await pagesReport(c.ctx(), { ...main, type: undefined, since: '7d', limit: undefined }), {
      project: 'main',
      entry_pages: [
        { page: '/', sessions: 3, bounces: 2, bounce_rate: 0.667, avg_duration: 35000, avg_events: 2.7 },
        { page: '/pricing', sessions: 2, bounces: 1, bounce_rate: 0.5, avg_duration: 360000, avg_events: 1.5 },
        { page: 'https://a.test/blog', sessions: 1, bounces: 0, bounce_rate: 0, avg_duration: 60000, avg_events: 3 },
      ],
    });
    assert.deepEqual(await pagesReport(c.ctx(), { ...main, type: 'exit', since: '7d', limit: undefined }), {
      project: 'main',
      exit_pages: [
        { page: '/pricing', sessions: 2, bounces: 2, bounce_rate: 1, avg_duration: 35000, avg_events: 2 },
        { page: '/', sessions: 1, bounces: 1, bounce_rate: 1, avg_duration: 30000, avg_events: 2 },
        { page: '/checkout', sessions: 1, bounces: 0, bounce_rate: 0, avg_duration: 720000, avg_events: 2 },
        { page: '/welcome', sessions: 1, bounces: 0, bounce_rate: 0, avg_duration: 5000, avg_events: 3 },
      ],
    });
    const both = await pagesReport(c.ctx(), { ...main, type: 'both', since: '7d', limit: '2' });
    assert.deepEqual(both.entry_pages?.map((p) => p.page), ['/', '/pricing']);
    assert.deepEqual(both.exit_pages?.map((p) => p.page), ['/pricing', '/']);
  });

  test('pages: filters keep the sessions holding a matching event, measured as whole sessions', async () => {
    const pricing = JSON.stringify([{ field: 'properties.path', op: 'eq', value: '/pricing' }]);
    // s1 (/ → /pricing), s4 and s5 saw /pricing; s6 did too but is dated before the window.
    assert.deepEqual(await pagesReport(c.ctx(), { ...main, type: 'entry', since: '7d', limit: undefined, filters: pricing }), {
      project: 'main',
      entry_pages: [
        { page: '/pricing', sessions: 2, bounces: 1, bounce_rate: 0.5, avg_duration: 360000, avg_events: 1.5 },
        { page: '/', sessions: 1, bounces: 1, bounce_rate: 1, avg_duration: 70000, avg_events: 3 },
      ],
    });
    const de = JSON.stringify([{ field: 'country', op: 'eq', value: 'DE' }, { field: 'event', op: 'neq', value: 'x' }]);
    assert.deepEqual((await pagesReport(c.ctx(), { ...main, type: 'exit', since: '7d', limit: undefined, filters: de })).exit_pages, [
      { page: '/checkout', sessions: 1, bounces: 0, bounce_rate: 0, avg_duration: 720000, avg_events: 2 },
      { page: '/welcome', sessions: 1, bounces: 0, bounce_rate: 0, avg_duration: 5000, avg_events: 3 },
    ]);
  });
}
