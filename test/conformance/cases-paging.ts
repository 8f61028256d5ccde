// Conformance: the row lists (/events, /sessions) bounded by `until` and paged by `cursor` (beyond the
// contract). Order and rows worked out by hand from dataset.ts (now = Mon 2026-03-09 12:00 UTC); lines 5
// and 6 of MAIN share a timestamp, so a page boundary between them shows why paging needs the cursor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { eventsReport } from '../../src/reports/events.js';
import { sessionsReport } from '../../src/reports/sessions.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const main = { projectId: PROJECTS.main, project: 'main' };
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** An event as `name@time`, enough to tell every row of the window apart except the two at 10:00:05. */
const label = (e: { event: string; timestamp: number }) => `${e.event}@${iso(e.timestamp)}`;

/** MAIN since 7d, newest first (timestamp desc, id desc): line numbers of dataset.ts. */
const NEWEST_FIRST = [
  "x' OR '1'='1@2026-03-09T10:00:00Z", '$error@2026-03-09T09:00:30Z', 'page_view@2026-03-09T09:00:00Z',
  'purchase@2026-03-08T20:12:00Z', 'page_view@2026-03-08T20:00:00Z', 'server_sync@2026-03-08T08:00:00Z',
  'server_sync@2026-03-07T14:45:00Z', 'page_view@2026-03-07T14:30:00Z', 'page_view@2026-03-06T09:01:00Z',
  '$click@2026-03-06T09:00:20Z', 'page_view@2026-03-06T09:00:00Z', 'page_view@2026-03-05T10:00:05Z' /* line 6 */,
  'signup@2026-03-05T10:00:05Z' /* line 5, same instant, ingested first */, 'page_view@2026-03-05T10:00:00Z',
  '$scroll_depth@2026-03-04T00:00:40Z', 'page_view@2026-03-04T00:00:10Z', 'page_view@2026-03-03T23:59:30Z',
  'page_view@2026-03-02T00:05:00Z',
];

const rejects400 = async (p: Promise<unknown>, pattern: RegExp) => {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'MISSING_FIELDS');
    assert.match(err.message, pattern);
    return true;
  });
};

export function pagingCases(c: Conformance): void {
  const events = (q: Record<string, unknown>) => eventsReport(c.ctx(), { ...main, since: '7d', limit: undefined, ...q });
  const sessions = (q: Record<string, unknown>) => sessionsReport(c.ctx(), { ...main, since: '7d', limit: undefined, user_id: undefined, is_bounce: undefined, ...q });

  test('events: until keeps rows strictly older (epoch ms, ISO date-time, ISO date, Nd), with the other filters', async () => {
    const all = await events({});
    assert.deepEqual(all.events.map(label), NEWEST_FIRST);
    assert.equal(all.next_cursor, undefined, 'a page that is not full has no next_cursor');
    const at = Date.parse('2026-03-05T10:00:05Z');
    // Strictly older: both rows at 10:00:05 are out, whichever form names the instant.
    assert.deepEqual((await events({ until: at })).events.map(label), NEWEST_FIRST.slice(13));
    assert.deepEqual((await events({ until: String(at) })).events.map(label), NEWEST_FIRST.slice(13));
    assert.deepEqual((await events({ until: '2026-03-05T10:00:05Z' })).events.map(label), NEWEST_FIRST.slice(13));
    assert.deepEqual((await events({ until: '2026-03-05T11:00:05+01:00' })).events.map(label), NEWEST_FIRST.slice(13));
    assert.deepEqual((await events({ until: '2026-03-06' })).events.map(label), NEWEST_FIRST.slice(11), 'a date is its 00:00 UTC');
    assert.deepEqual((await events({ until: '1d' })).events.map(label), NEWEST_FIRST.slice(5), '1d = 2026-03-08 12:00');
    assert.deepEqual((await events({ until: '2026-03-08T20:00:00Z', event: 'page_view', limit: '2' })).events.map(label),
      ['page_view@2026-03-07T14:30:00Z', 'page_view@2026-03-06T09:01:00Z']);
    assert.deepEqual((await events({ until: '2026-03-02' })).events, [], 'until at the window start: empty, not an error');
    assert.deepEqual((await events({ until: '' })).events.map(label), NEWEST_FIRST, 'empty = absent');
  });

  test('events: the cursor pages through every row once, across a timestamp tie, in the same order', async () => {
    const seen: string[] = [];
    const ids = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await events({ limit: 4, cursor });
      pages++;
      for (const e of page.events) ids.add(e.id);
      seen.push(...page.events.map(label));
      cursor = page.next_cursor;
      if (pages === 3) assert.equal(page.events.at(-1)!.event, 'page_view', 'page 3 ends between the two 10:00:05 rows');
    } while (cursor !== undefined && pages < 10);
    assert.equal(pages, 5);
    assert.deepEqual(seen, NEWEST_FIRST);
    assert.equal(ids.size, NEWEST_FIRST.length);
    // A full last page still hands out a cursor; the page after it is empty and has none.
    const full = await events({ limit: 18 });
    assert.equal(full.events.length, 18);
    const after = await events({ limit: 18, cursor: full.next_cursor });
    assert.deepEqual(after, { project: 'main', events: [] });
    // Cursor and until combine (both bounds apply).
    const first = await events({ limit: 2, until: '2026-03-08T00:00:00Z' });
    assert.deepEqual(first.events.map(label), NEWEST_FIRST.slice(6, 8));
    assert.deepEqual((await events({ limit: 2, until: '2026-03-08T00:00:00Z', cursor: first.next_cursor })).events.map(label), NEWEST_FIRST.slice(8, 10));
  });

  test('sessions: until keeps sessions that started strictly before it; the cursor pages them', async () => {
    assert.deepEqual((await sessions({ until: '2026-03-07T14:30:00Z' })).sessions.map((s) => s.session_id), ['s3', 's2', 's1'], 's4 starts exactly then: out');
    assert.deepEqual((await sessions({ until: Date.parse('2026-03-07T14:30:00.001Z') })).sessions.map((s) => s.session_id), ['s4', 's3', 's2', 's1']);
    assert.deepEqual((await sessions({ until: '2026-03-06', user_id: 'u2' })).sessions.map((s) => s.session_id), ['s2']);
    const seen: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await sessions({ limit: '2', cursor });
      seen.push(page.sessions.map((s) => s.session_id));
      cursor = page.next_cursor;
    } while (cursor !== undefined && seen.length < 10);
    assert.deepEqual(seen, [['s7', 's5'], ['s4', 's3'], ['s2', 's1'], []]);
  });

  test('until and cursor: unparseable, before the window start, or not issued by us → 400 MISSING_FIELDS', async () => {
    await rejects400(events({ until: 'yesterday' }), /until must be epoch milliseconds, an ISO date/);
    await rejects400(events({ until: '2026-02-30' }), /until must be/);
    await rejects400(events({ until: '99999999999999999' }), /until must be/);
    await rejects400(events({ until: '2026-03-01T23:59:59Z' }), /before the window start 2026-03-02; pass an earlier since/);
    await rejects400(events({ since: undefined, until: '2026-02-01' }), /\(the default since=7d\)/);
    await rejects400(sessions({ since: '2026-03-05', until: '2026-03-04T12:00:00Z' }), /before the window start 2026-03-05/);
    await rejects400(events({ cursor: 'not-a-cursor' }), /cursor must be a next_cursor value/);
    await rejects400(sessions({ cursor: Buffer.from('[1,2]').toString('base64url') }), /cursor must be/);
    await rejects400(events({ cursor: "x' OR '1'='1" }), /cursor must be/);
  });
}
