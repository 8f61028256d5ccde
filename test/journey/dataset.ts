// The /journey dataset, sent through the real ingestion endpoints (/track, /identify), and its answers worked out
// by hand. Shared by the DuckDB (journey.test.ts) and ClickHouse (clickhouse.test.ts) runs: same events, same answers.
//
// Project `journey-site` (T0 = two days ago on a whole minute; times in minutes after T0):
//   anon_a  s0  page_view /old at T0 − 8 days                       (outside since=7d)
//   anon_a  s1  page_view / at 0, page_view /pricing (referrer) at 1, click_cta and $scroll_depth both at 2
//               (click_cta ingested first), newsletter_open without a session at 3
//   user_7  s9  page_view / at 1                                      (another user)
//   — POST /identify anon_a → user_42: the rows above are rewritten —
//   user_42 s2  page_view /app at 60, signup {plan: pro} at 61
//   anon_a  s2  $time_on_page at 62                                  (sent with the old id: stored as user_42)
//   anon_b  s3  page_view /b at 5, then identify anon_b → mid_b → final_b (a chain)
// Noise that must never show: user_42 in another project of the same account (`journey-other`).
import assert from 'node:assert/strict';
import { utcDay } from '../../src/query/time.js';
import type { TestApp } from '../helpers/app.js';

const MIN = 60_000;
const DAY = 86_400_000;

export interface Spec { user: string; session: string | null; event: string; at: number; properties?: Record<string, unknown> }

const pv = (user: string, session: string, path: string, at: number, extra: Record<string, unknown> = {}): Spec =>
  ({ user, session, event: 'page_view', at, properties: { path, ...extra } });

export const BEFORE_IDENTIFY: Spec[] = [
  pv('anon_a', 's0', '/old', -8 * DAY),
  pv('anon_a', 's1', '/', 0),
  pv('user_7', 's9', '/', 1 * MIN),
  pv('anon_a', 's1', '/pricing', 1 * MIN, { referrer: 'https://www.google.com/' }),
  { user: 'anon_a', session: 's1', event: 'click_cta', at: 2 * MIN, properties: { path: '/pricing', label: 'Start' } },
  { user: 'anon_a', session: 's1', event: '$scroll_depth', at: 2 * MIN, properties: { path: '/pricing', depth: 50 } },
  { user: 'anon_a', session: null, event: 'newsletter_open', at: 3 * MIN },
  pv('anon_b', 's3', '/b', 5 * MIN),
];

export const AFTER_IDENTIFY: Spec[] = [
  pv('user_42', 's2', '/app', 60 * MIN),
  { user: 'user_42', session: 's2', event: 'signup', at: 61 * MIN, properties: { path: '/app', plan: 'pro' } },
  { user: 'anon_a', session: 's2', event: '$time_on_page', at: 62 * MIN, properties: { path: '/app', seconds: 42 } },
];

export const OTHER_PROJECT: Spec[] = [pv('user_42', 's7', '/elsewhere', 5 * MIN)];

/** Two days ago on a whole minute. */
export const baseTime = (): number => Math.floor((Date.now() - 2 * DAY) / MIN) * MIN;

async function track(t: TestApp, token: string, specs: Spec[], t0: number): Promise<void> {
  // One request each, in order, so events at the same instant keep their sending order.
  for (const e of specs) {
    const res = await t.app.inject({
      method: 'POST', url: '/track',
      payload: { token, event: e.event, user_id: e.user, timestamp: t0 + e.at, ...(e.session ? { session_id: e.session } : {}), ...(e.properties ? { properties: e.properties } : {}) },
    });
    assert.equal(res.statusCode, 202, res.body);
  }
}

async function identify(t: TestApp, token: string, previous_id: string, user_id: string): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/identify', payload: { token, previous_id, user_id } });
  assert.equal(res.statusCode, 202, res.body);
}

/** Create both projects as `key` and send the whole dataset; returns the project ids. */
export async function loadJourneyDataset(t: TestApp, key: string, t0: number): Promise<{ siteId: string; otherId: string }> {
  const site = await t.newProject(key, 'journey-site');
  const other = await t.newProject(key, 'journey-other');
  await track(t, site.project_token, BEFORE_IDENTIFY, t0);
  await identify(t, site.project_token, 'anon_a', 'user_42');
  await identify(t, site.project_token, 'anon_b', 'mid_b');
  await identify(t, site.project_token, 'mid_b', 'final_b');
  await track(t, site.project_token, AFTER_IDENTIFY, t0);
  await track(t, other.project_token, OTHER_PROJECT, t0);
  return { siteId: site.id, otherId: other.id };
}

/** What the tests compare: every field of an event row but the generated id and project id, time relative to T0. */
export function rows(events: { event: string; user_id: string | null; session_id: string | null; properties: unknown; timestamp: number; date: string; country: string | null }[], t0: number) {
  return events.map((e) => ({ event: e.event, user_id: e.user_id, session_id: e.session_id, properties: e.properties, at: e.timestamp - t0, date: e.date, country: e.country }));
}

const row = (s: Spec, t0: number, user = 'user_42') => ({
  event: s.event, user_id: user, session_id: s.session, properties: s.properties ?? null, at: s.at, date: utcDay(t0 + s.at), country: null,
});

/** user_42's whole journey (default since 30d), oldest first. */
export const USER_42_ROWS = (t0: number) => [
  ...BEFORE_IDENTIFY.filter((s) => s.user === 'anon_a'),
  ...AFTER_IDENTIFY,
].map((s) => row(s, t0));

export const USER_42_PROFILE = (t0: number) => ({
  user_id: 'user_42', first_seen: utcDay(t0 - 8 * DAY), last_seen: utcDay(t0 + 62 * MIN), event_count: 9, session_count: 3,
});

/** A journey answer without its generated ids, times relative to T0. */
function shaped(body: any, t0: number) {
  const { events, project_context: _c, ...rest } = body;
  return { ...rest, events: rows(events, t0) };
}

/** The questions both engines answer: GET and POST, through the identity map, window, limit, other users. */
export async function collectAnswers(t: TestApp, key: string, t0: number): Promise<Record<string, unknown>> {
  const get = async (qs: string) => {
    const res = await t.app.inject({ url: `/journey?project=journey-site&${qs}`, headers: { 'x-api-key': key } });
    assert.equal(res.statusCode, 200, res.body);
    return shaped(res.json(), t0);
  };
  const post = async (body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/journey', headers: { 'x-api-key': key }, payload: { project: 'journey-site', ...body } });
    assert.equal(res.statusCode, 200, res.body);
    return shaped(res.json(), t0);
  };
  return {
    user42: await get('user_id=user_42'),
    viaAnonymousId: await get('user_id=anon_a'),
    since7d: await get('user_id=user_42&since=7d'),
    limit3: await get('user_id=user_42&limit=3'),
    user7: await get('user_id=user_7'),
    chain: await get('user_id=anon_b'),
    unknown: await get('user_id=nobody'),
    post: await post({ user_id: 'anon_a', since: '30d', limit: 2 }),
  };
}

export function expectedAnswers(t0: number): Record<string, unknown> {
  const period = { from: utcDay(Date.now() - 30 * DAY), to: utcDay(Date.now()) };
  const all = USER_42_ROWS(t0);
  const profile = USER_42_PROFILE(t0);
  const journey = (user_id: string, events: unknown[], profiles: unknown[], truncated = false, p = period) =>
    ({ project: 'journey-site', user_id, profiles, period: p, count: events.length, truncated, events });
  const recent = all.filter((r) => r.at >= 0);
  return {
    user42: journey('user_42', all, [profile]),
    viaAnonymousId: journey('anon_a', all, [profile]),
    since7d: journey('user_42', recent, [{ ...profile, first_seen: utcDay(t0), event_count: 8, session_count: 2 }], false, { ...period, from: utcDay(Date.now() - 7 * DAY) }),
    limit3: journey('user_42', all.slice(0, 3), [profile], true),
    user7: journey('user_7', [row(BEFORE_IDENTIFY[2], t0, 'user_7')], [{ user_id: 'user_7', first_seen: utcDay(t0 + MIN), last_seen: utcDay(t0 + MIN), event_count: 1, session_count: 1 }]),
    chain: journey('anon_b', [row(BEFORE_IDENTIFY[7], t0, 'final_b')], [{ user_id: 'final_b', first_seen: utcDay(t0 + 5 * MIN), last_seen: utcDay(t0 + 5 * MIN), event_count: 1, session_count: 1 }]),
    unknown: journey('nobody', [], []),
    post: journey('anon_a', all.slice(0, 2), [profile], true),
  };
}
