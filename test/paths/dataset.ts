// The POST /paths dataset, sent through the real ingestion endpoints, and its trees worked out by hand.
// Shared by the DuckDB (paths.test.ts) and ClickHouse (clickhouse.test.ts) runs: same events, same answers.
//
// Project `paths-site`, goal `signup`; sessions in start order (later start = more recent):
//   s9  /blog: $error                                       → drop_off, exit /blog
//   s1  /: $scroll_depth, /pricing, click_cta, signup       → /pricing › click_cta › GOAL            (exit /signup)
//   s7  /pricing: $web_vitals, add_to_cart ×2, /checkout, purchase
//                                                            → add_to_cart › /checkout › purchase › drop_off (exit /checkout)
//   s2  /: /pricing ×2, $time_on_page, / (entry, skipped), /pricing (same as the previous node), click_cta, signup
//                                                            → /pricing › click_cta › GOAL            (exit /signup)
//   s8  /pricing: signup                                    → GOAL                                     (exit /pricing)
//   s3  /: $impression, /pricing, then search and /docs at the same instant (search ingested first)
//                                                            → /pricing › search › /docs › drop_off    (exit /docs)
//   s4  /: /pricing, e1, /b, e2, /c, /d, signup              → /pricing › e1 › /b › e2 › /c › truncated (exit /signup)
//   s5  /: nothing else                                      → drop_off (exit /)
//   s6  /: signup (on /)                                     → GOAL                                     (exit /)
// Plus noise that must not count: an event without session_id, and another project's session on /.
import assert from 'node:assert/strict';
import { readContext } from '../../src/query/run.js';
import { utcDay } from '../../src/query/time.js';
import { compilePathEvents, compilePathSessions } from '../../src/query/sql/paths.js';
import type { TestApp } from '../helpers/app.js';

const MIN = 60_000;
const SEC = 1000;

export interface TrackSpec { session: string | null; event: string; path: string; at: number }

/** Session `id` starting `startMin` minutes after T0; `steps` are [event, path, seconds after the start]. */
function session(id: string, startMin: number, steps: [string, string, number][]): TrackSpec[] {
  return steps.map(([event, path, sec]) => ({ session: id, event, path, at: startMin * MIN + sec * SEC }));
}

export const PATHS_EVENTS: TrackSpec[] = [
  ...session('s9', 5, [['page_view', '/blog', 0], ['$error', '/blog', 4]]),
  ...session('s1', 10, [['page_view', '/', 0], ['$scroll_depth', '/', 2], ['page_view', '/pricing', 5], ['click_cta', '/pricing', 9], ['signup', '/signup', 20]]),
  ...session('s7', 15, [['page_view', '/pricing', 0], ['$web_vitals', '/pricing', 1], ['add_to_cart', '/pricing', 3], ['add_to_cart', '/pricing', 4],
    ['page_view', '/checkout', 6], ['purchase', '/checkout', 9]]),
  ...session('s2', 20, [['page_view', '/', 0], ['page_view', '/pricing', 3], ['page_view', '/pricing', 5], ['$time_on_page', '/pricing', 6],
    ['page_view', '/', 8], ['page_view', '/pricing', 10], ['click_cta', '/pricing', 12], ['signup', '/signup', 15]]),
  ...session('s8', 25, [['page_view', '/pricing', 0], ['signup', '/pricing', 30]]),
  ...session('s3', 30, [['page_view', '/', 0], ['$impression', '/', 1], ['page_view', '/pricing', 2], ['search', '/pricing', 3], ['page_view', '/docs', 3]]),
  ...session('s4', 40, [['page_view', '/', 0], ['page_view', '/pricing', 1], ['e1', '/pricing', 2], ['page_view', '/b', 3], ['e2', '/b', 4],
    ['page_view', '/c', 5], ['page_view', '/d', 6], ['signup', '/signup', 7]]),
  ...session('s5', 50, [['page_view', '/', 0]]),
  ...session('s6', 60, [['page_view', '/', 0], ['signup', '/', 10]]),
  { session: null, event: 'signup', path: '/', at: 61 * MIN },
];

/** Two days ago on a whole minute: inside the ingestion window and every `since` but 1d. */
export const baseTime = (): number => Math.floor((Date.now() - 2 * 86_400_000) / MIN) * MIN;

/** Each event through POST /track, one request at a time (so equal timestamps keep their sending order). */
export async function trackAll(t: TestApp, token: string, events: TrackSpec[], t0: number): Promise<void> {
  for (const e of events) {
    const res = await t.app.inject({
      method: 'POST', url: '/track',
      payload: { token, event: e.event, properties: { path: e.path }, user_id: e.session ? `u_${e.session}` : 'anon', ...(e.session ? { session_id: e.session } : {}), timestamp: t0 + e.at },
    });
    assert.equal(res.statusCode, 202, res.body);
  }
}

/** Sessions in one POST /track/batch per 100 events. */
export async function trackBatches(t: TestApp, token: string, events: TrackSpec[], t0: number): Promise<void> {
  for (let i = 0; i < events.length; i += 100) {
    const batch = events.slice(i, i + 100).map((e) => ({ event: e.event, properties: { path: e.path }, session_id: e.session, user_id: `u_${e.session}`, timestamp: t0 + e.at }));
    const res = await t.app.inject({ method: 'POST', url: '/track/batch', payload: { token, events: batch } });
    assert.equal(res.statusCode, 202, res.body);
  }
}

/**
 * Project `cap-site`: 102 sessions c000…c101 on /x started one a minute, the two oldest with `old_click`,
 * the others with `go` — except c004, which starts at the same instant as c003 and sends `tie_loser`; and
 * on /t two sessions of 48 and 49 repeated `tick`s (the per-session read cap at max_steps 5 is 48 node
 * events: 49 cannot be seen to the end).
 */
export const CAP_EVENTS: TrackSpec[] = [
  ...Array.from({ length: 102 }, (_, i) => session(`c${String(i).padStart(3, '0')}`, i === 4 ? 3 : i,
    [['page_view', '/x', 0], [i < 2 ? 'old_click' : i === 4 ? 'tie_loser' : 'go', '/x', 1]])).flat(),
  ...session('tick48', 200, [['page_view', '/t', 0], ...Array.from({ length: 48 }, (_, i): [string, string, number] => ['tick', '/t', 1 + i])]),
  ...session('tick49', 300, [['page_view', '/t', 0], ...Array.from({ length: 49 }, (_, i): [string, string, number] => ['tick', '/t', 1 + i])]),
];

type Node = Record<string, unknown>;
/** A tree node with the rate written out by hand; `exit` only for drop_off / truncated. */
export const node = (type: string, value: string, sessions: number, conversions: number, conversion_rate: number, children: Node[] = [], exit?: string | null): Node =>
  ({ type, value, sessions, conversions, conversion_rate, children, ...(exit !== undefined ? { exit_page: exit } : {}) });
export const exitRow = (exit_page: string | null, sessions: number, conversions: number, conversion_rate: number, drop_offs: number, drop_off_rate: number) =>
  ({ exit_page, sessions, conversions, conversion_rate, drop_offs, drop_off_rate });

/** Default request (max_steps 5, path_limit 5): all three entry pages. */
export const DEFAULT_ENTRY_PATHS = [
  {
    entry_page: '/', sessions: 6, conversions: 3, conversion_rate: 0.5, // s1 s2 s6 of s1-s6
    exit_pages: [exitRow('/signup', 3, 2, 0.667, 1, 0.333), exitRow('/', 2, 1, 0.5, 1, 0.5), exitRow('/docs', 1, 0, 0, 1, 1)],
    tree: [
      node('page', '/pricing', 4, 2, 0.5, [
        node('event', 'click_cta', 2, 2, 1, [node('goal', 'signup', 2, 2, 1)]),
        // e1 and search tie (1 session, 0 conversions, both events): value order.
        node('event', 'e1', 1, 0, 0, [node('page', '/b', 1, 0, 0, [node('event', 'e2', 1, 0, 0, [node('page', '/c', 1, 0, 0, [
          node('truncated', '/signup', 1, 0, 0, [], '/signup')])])])]),
        node('event', 'search', 1, 0, 0, [node('page', '/docs', 1, 0, 0, [node('drop_off', '/docs', 1, 0, 0, [], '/docs')])]),
      ]),
      // One session each: the converting goal first, then the drop-off.
      node('goal', 'signup', 1, 1, 1),
      node('drop_off', '/', 1, 0, 0, [], '/'),
    ],
  },
  {
    entry_page: '/pricing', sessions: 2, conversions: 1, conversion_rate: 0.5,
    // Equal sessions: more drop-offs first.
    exit_pages: [exitRow('/checkout', 1, 0, 0, 1, 1), exitRow('/pricing', 1, 1, 1, 0, 0)],
    tree: [
      node('goal', 'signup', 1, 1, 1),
      node('event', 'add_to_cart', 1, 0, 0, [node('page', '/checkout', 1, 0, 0, [node('event', 'purchase', 1, 0, 0, [
        node('drop_off', '/checkout', 1, 0, 0, [], '/checkout')])])]),
    ],
  },
  {
    entry_page: '/blog', sessions: 1, conversions: 0, conversion_rate: 0,
    exit_pages: [exitRow('/blog', 1, 0, 0, 1, 1)],
    tree: [node('drop_off', '/blog', 1, 0, 0, [], '/blog')],
  },
];

/** max_steps 2, path_limit 2, entry_limit 2: goals past step 2 become truncated, third children cut. */
export const SHORT_ENTRY_PATHS = [
  {
    entry_page: '/', sessions: 6, conversions: 1, conversion_rate: 0.167, // only s6 reaches signup within 2 steps
    exit_pages: [exitRow('/signup', 3, 0, 0, 3, 1), exitRow('/', 2, 1, 0.5, 1, 0.5), exitRow('/docs', 1, 0, 0, 1, 1)],
    tree: [
      node('page', '/pricing', 4, 0, 0, [
        node('event', 'click_cta', 2, 0, 0, [node('truncated', '/signup', 2, 0, 0, [], '/signup')]),
        node('event', 'e1', 1, 0, 0, [node('truncated', '/signup', 1, 0, 0, [], '/signup')]),
        // search (1 session) is the third child: cut by path_limit 2.
      ]),
      node('goal', 'signup', 1, 1, 1),
      // drop_off / is the third child: cut.
    ],
  },
  {
    entry_page: '/pricing', sessions: 2, conversions: 1, conversion_rate: 0.5,
    exit_pages: [exitRow('/checkout', 1, 0, 0, 1, 1), exitRow('/pricing', 1, 1, 1, 0, 0)],
    tree: [
      node('goal', 'signup', 1, 1, 1),
      node('event', 'add_to_cart', 1, 0, 0, [node('page', '/checkout', 1, 0, 0, [node('truncated', '/checkout', 1, 0, 0, [], '/checkout')])]),
    ],
  },
];

/**
 * cap-site with candidate_session_cap 100: the 100 most recent sessions are the two /t ones, c101…c005 (97)
 * and, of c003 and c004 starting at the same instant, c003 (session id ascending breaks the tie).
 */
export const CAPPED_ENTRY_PATHS = [
  {
    entry_page: '/x', sessions: 98, conversions: 0, conversion_rate: 0,
    exit_pages: [exitRow('/x', 98, 0, 0, 98, 1)],
    tree: [node('event', 'go', 98, 0, 0, [node('drop_off', '/x', 98, 0, 0, [], '/x')])],
  },
  {
    entry_page: '/t', sessions: 2, conversions: 0, conversion_rate: 0,
    exit_pages: [exitRow('/t', 2, 0, 0, 2, 1)],
    // 48 ticks are read to the end (drop_off); the 49th is past the read cap, so that session is truncated.
    tree: [node('event', 'tick', 2, 0, 0, [node('drop_off', '/t', 1, 0, 0, [], '/t'), node('truncated', '/t', 1, 0, 0, [], '/t')])],
  },
];

/** cap-site without a binding cap: all 104 sessions. */
export const UNCAPPED_ENTRY_PATHS = [
  {
    entry_page: '/x', sessions: 102, conversions: 0, conversion_rate: 0,
    exit_pages: [exitRow('/x', 102, 0, 0, 102, 1)],
    tree: [
      node('event', 'go', 99, 0, 0, [node('drop_off', '/x', 99, 0, 0, [], '/x')]),
      node('event', 'old_click', 2, 0, 0, [node('drop_off', '/x', 2, 0, 0, [], '/x')]),
      node('event', 'tie_loser', 1, 0, 0, [node('drop_off', '/x', 1, 0, 0, [], '/x')]),
    ],
  },
  CAPPED_ENTRY_PATHS[1],
];

/**
 * The two statements of the report run by hand on cap-site with a cap of 100: the candidates in order, and
 * the distinct sessions the event statement reads (it must read exactly the candidates — c004, tied with
 * c003 at the boundary instant, is not one).
 */
export async function capStatements(t: TestApp, projectId: string): Promise<{ first: string[]; lastTwo: string[]; count: number; eventSessions: string[] }> {
  const ctx = readContext(t.stores.events, -1);
  const spec = { projectId, from: utcDay(Date.now() - 30 * 86_400_000), entryPages: ['/x', '/t'], sessionCap: 100 };
  const sessions = await t.stores.events.query<Record<string, unknown>>(compilePathSessions(ctx.dialect, spec));
  const last = sessions[sessions.length - 1];
  const rows = await t.stores.events.query<Record<string, unknown>>(compilePathEvents(ctx.dialect, {
    ...spec, goalEvent: 'signup', eventsPerSession: 49, last: { startTime: Number(last.start_time), sessionId: String(last.session_id) },
  }));
  const ids = sessions.map((s) => String(s.session_id));
  return { first: ids.slice(0, 3), lastTwo: ids.slice(-2), count: ids.length, eventSessions: [...new Set(rows.map((r) => String(r.session_id)))].sort() };
}

/** What capStatements must answer. */
export const CAP_STATEMENTS = {
  first: ['tick49', 'tick48', 'c101'], lastTwo: ['c005', 'c003'], count: 100,
  eventSessions: ['c003', ...Array.from({ length: 97 }, (_, i) => `c${String(i + 5).padStart(3, '0')}`), 'tick48', 'tick49'],
};
