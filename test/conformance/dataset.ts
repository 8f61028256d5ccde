// The fixed conformance dataset. Every expected answer in suite.ts was worked out by hand from these
// lines; change a line here and the answers must be re-derived by hand too.
//
// "Now" is Monday 2026-03-09 12:00 UTC, so since=7d starts on Monday 2026-03-02.
// Lines are inserted in the order written: a later line is a later-ingested event (tie-breaks).
import type { EventSpec } from '../helpers/events.js';

export const NOW = Date.parse('2026-03-09T12:00:00Z');

export const PROJECTS = {
  /** General traffic: stats, query, properties, sessions, pages, heatmap, breakdown, insights. */
  main: 'proj_conf_main',
  /** Funnels. */
  funnel: 'proj_conf_funnel',
  /** Cohort retention. */
  retention: 'proj_conf_retention',
  /** Another project sharing ids with `main`: none of its rows may ever leak into `main`'s answers. */
  other: 'proj_conf_other',
  /** No events at all: empty states. */
  empty: 'proj_conf_empty',
  /** Direct traffic: `referrer: ""` (promoted column) and `coupon: ""` (JSON key) are values, not absences. */
  direct: 'proj_conf_direct',
} as const;

const at = (day: string, time: string) => `${day}T${time}Z`;

/** Project `main`. Sessions: s1 bounce across midnight, s2 signup with an exit tie, s3 user set mid-session
 * and url-only entry, s4 single event without user, s5 12-minute purchase, s6 starts before the 7d window,
 * s7 today with $error, s8 long ago. Events 11, 12 and 19 carry no session. */
export const MAIN: EventSpec[] = [
  /* 1 */ { ts: at('2026-03-03', '23:59:30'), event: 'page_view', user: 'u1', session: 's1', country: 'US', props: { path: '/', url: 'https://a.test/', referrer: 'https://google.com' } },
  /* 2 */ { ts: at('2026-03-04', '00:00:10'), event: 'page_view', user: 'u1', session: 's1', country: 'US', props: { path: '/pricing' } },
  /* 3 */ { ts: at('2026-03-04', '00:00:40'), event: '$scroll_depth', user: 'u1', session: 's1', country: 'US', props: { path: '/pricing', depth: 50 } },
  /* 4 */ { ts: at('2026-03-05', '10:00:00'), event: 'page_view', user: 'u2', session: 's2', country: 'DE', props: { path: '/' } },
  /* 5 */ { ts: at('2026-03-05', '10:00:05'), event: 'signup', user: 'u2', session: 's2', country: 'DE', props: { path: '/signup', plan: 'pro', seats: 5 } },
  /* 6 */ { ts: at('2026-03-05', '10:00:05'), event: 'page_view', user: 'u2', session: 's2', country: 'DE', props: { path: '/welcome' } },
  /* 7 */ { ts: at('2026-03-06', '09:00:00'), event: 'page_view', user: null, session: 's3', country: null, props: { url: 'https://a.test/blog' } },
  /* 8 */ { ts: at('2026-03-06', '09:00:20'), event: '$click', user: 'u3', session: 's3', country: 'FR', props: { path: '/blog', target: 'cta' } },
  /* 9 */ { ts: at('2026-03-06', '09:01:00'), event: 'page_view', user: 'u3', session: 's3', country: 'FR', props: {} },
  /* 10 */ { ts: at('2026-03-07', '14:30:00'), event: 'page_view', user: null, session: 's4', country: 'US', props: { path: '/pricing' } },
  /* 11 */ { ts: at('2026-03-07', '14:45:00'), event: 'server_sync', user: 'u1', session: null, country: null, props: { source: 'api', amount: 10 } },
  /* 12 */ { ts: at('2026-03-08', '08:00:00'), event: 'server_sync', user: null, session: null, country: null, props: { source: 'cron', amount: 2.5 } },
  /* 13 */ { ts: at('2026-03-08', '20:00:00'), event: 'page_view', user: 'u2', session: 's5', country: 'DE', props: { path: '/pricing', utm_source: 'newsletter' } },
  /* 14 */ { ts: at('2026-03-08', '20:12:00'), event: 'purchase', user: 'u2', session: 's5', country: 'DE', props: { path: '/checkout', amount: 49, plan: 'pro' } },
  /* 15 */ { ts: at('2026-03-01', '23:50:00'), event: 'page_view', user: 'u4', session: 's6', country: 'GB', props: { path: '/old' } },
  /* 16 */ { ts: at('2026-03-02', '00:05:00'), event: 'page_view', user: 'u4', session: 's6', country: 'GB', props: { path: '/docs' } },
  /* 17 */ { ts: at('2026-03-09', '09:00:00'), event: 'page_view', user: 'u5', session: 's7', country: 'US', props: { path: '/' } },
  /* 18 */ { ts: at('2026-03-09', '09:00:30'), event: '$error', user: 'u5', session: 's7', country: 'US', props: { path: '/', message: "'; DROP TABLE events; --" } },
  /* 19 */ { ts: at('2026-03-09', '10:00:00'), event: "x' OR '1'='1", user: 'u5', session: null, country: 'US', props: { path: '/' } },
  /* 20 */ { ts: at('2026-02-20', '12:00:00'), event: 'page_view', user: 'u1', session: 's8', country: 'US', props: { path: '/' } },
];

/** Project `other`: reuses main's user and session ids. */
export const OTHER: EventSpec[] = [
  { ts: at('2026-03-05', '10:00:00'), event: 'page_view', user: 'u2', session: 's2', country: 'DE', props: { path: '/' } },
  { ts: at('2026-03-05', '10:30:00'), event: 'signup', user: 'u2', session: 's2', country: 'DE', props: { path: '/other', plan: 'free' } },
  { ts: at('2026-03-09', '09:00:00'), event: 'page_view', user: 'u9', session: 'sz', country: 'US', props: { path: '/' } },
];

/** Project `funnel`: steps f_view → f_start → f_done. */
export const FUNNEL: EventSpec[] = [
  // fu1 completes within an hour.
  { ts: at('2026-03-01', '10:00:00'), event: 'f_view', user: 'fu1', session: 'fs_a', props: { path: '/pricing', utm_source: 'google' } },
  { ts: at('2026-03-01', '10:05:00'), event: 'f_start', user: 'fu1', session: 'fs_a', props: {} },
  { ts: at('2026-03-01', '11:00:00'), event: 'f_done', user: 'fu1', session: 'fs_a', props: {} },
  // fu2 starts before viewing (out of order), then finishes: stuck at step 1.
  { ts: at('2026-03-02', '09:00:00'), event: 'f_start', user: 'fu2', session: 'fs_b', props: {} },
  { ts: at('2026-03-02', '10:00:00'), event: 'f_view', user: 'fu2', session: 'fs_b', props: { path: '/pricing', utm_source: 'google' } },
  { ts: at('2026-03-02', '10:30:00'), event: 'f_done', user: 'fu2', session: 'fs_b', props: {} },
  // fu3 (no utm) finishes 25 h after viewing, in another session.
  { ts: at('2026-03-03', '10:00:00'), event: 'f_view', user: 'fu3', session: 'fs_c', props: { path: '/pricing' } },
  { ts: at('2026-03-03', '12:00:00'), event: 'f_start', user: 'fu3', session: 'fs_c', props: {} },
  { ts: at('2026-03-04', '11:00:00'), event: 'f_done', user: 'fu3', session: 'fs_c2', props: {} },
  // fu4 views /home, starts, views /pricing (twitter), starts again, finishes.
  { ts: at('2026-03-04', '10:00:00'), event: 'f_view', user: 'fu4', session: 'fs_d', props: { path: '/home' } },
  { ts: at('2026-03-04', '10:05:00'), event: 'f_start', user: 'fu4', session: 'fs_d', props: {} },
  { ts: at('2026-03-04', '10:10:00'), event: 'f_view', user: 'fu4', session: 'fs_d', props: { path: '/pricing', utm_source: 'twitter' } },
  { ts: at('2026-03-04', '10:20:00'), event: 'f_start', user: 'fu4', session: 'fs_d', props: {} },
  { ts: at('2026-03-04', '10:30:00'), event: 'f_done', user: 'fu4', session: 'fs_d', props: {} },
  // fu5 has two identical views at the same instant, and nothing else.
  { ts: at('2026-03-05', '10:00:00'), event: 'f_view', user: 'fu5', session: 'fs_e', props: { path: '/pricing', utm_source: 'twitter' } },
  { ts: at('2026-03-05', '10:00:00'), event: 'f_view', user: 'fu5', session: 'fs_e', props: { path: '/pricing', utm_source: 'twitter' } },
  // An anonymous session: only counted by session.
  { ts: at('2026-03-05', '11:00:00'), event: 'f_view', user: null, session: 'fs1', props: { path: '/pricing' } },
  { ts: at('2026-03-05', '11:01:00'), event: 'f_start', user: null, session: 'fs1', props: {} },
  // fu7 viewed before the 30-day lookback (2026-02-07), so it never enters.
  { ts: at('2026-02-01', '10:00:00'), event: 'f_view', user: 'fu7', session: 'fs_g1', props: { path: '/pricing' } },
  { ts: at('2026-03-06', '10:00:00'), event: 'f_start', user: 'fu7', session: 'fs_g2', props: {} },
  { ts: at('2026-03-06', '10:05:00'), event: 'f_done', user: 'fu7', session: 'fs_g2', props: {} },
];

/** Project `retention`: weekly cohorts of 2026-02-17, 02-24 and 03-03 (3 cohorts ending today). */
export const RETENTION: EventSpec[] = [
  // ra: cohort 02-17, back in weeks 1 and 2.
  { ts: at('2026-02-17', '08:00:00'), event: 'page_view', user: 'ra', session: 'ra1' },
  { ts: at('2026-02-25', '08:00:00'), event: 'page_view', user: 'ra', session: 'ra2' },
  { ts: at('2026-03-04', '08:00:00'), event: 'page_view', user: 'ra', session: 'ra3' },
  // rb: first seen on the last day of cohort 0, back in week 2 only.
  { ts: at('2026-02-23', '23:59:00'), event: 'page_view', user: 'rb', session: 'rb1' },
  { ts: at('2026-03-03', '08:00:00'), event: 'page_view', user: 'rb', session: 'rb2' },
  // rc: first seen before the analysed range.
  { ts: at('2026-02-10', '08:00:00'), event: 'page_view', user: 'rc', session: 'rc1' },
  { ts: at('2026-02-20', '08:00:00'), event: 'page_view', user: 'rc', session: 'rc2' },
  // rd: first seen on the first day of cohort 1, again later that week, back in week 2.
  { ts: at('2026-02-24', '00:00:00'), event: 'page_view', user: 'rd', session: 'rd1' },
  { ts: at('2026-03-02', '08:00:00'), event: 'page_view', user: 'rd', session: 'rd2' },
  { ts: at('2026-03-09', '08:00:00'), event: 'page_view', user: 'rd', session: 'rd3' },
  // re: cohort 03-03.
  { ts: at('2026-03-05', '08:00:00'), event: 'page_view', user: 're', session: 're1' },
  // rf: cohort 0, no session afterwards, but a `ping` in week 1.
  { ts: at('2026-02-18', '08:00:00'), event: 'page_view', user: 'rf', session: 'rf1' },
  { ts: at('2026-02-26', '08:00:00'), event: 'ping', user: 'rf', session: null },
  // rh: one session across the cohort 0 / cohort 1 boundary (its date is its start: 02-23).
  { ts: at('2026-02-23', '23:50:00'), event: 'page_view', user: 'rh', session: 'rh1' },
  { ts: at('2026-02-24', '00:10:00'), event: 'page_view', user: 'rh', session: 'rh1' },
  // Anonymous session: never analysed.
  { ts: at('2026-02-20', '08:00:00'), event: 'page_view', user: null, session: 'anon1' },
  // rg and ri only send `ping`, without sessions.
  { ts: at('2026-02-18', '09:00:00'), event: 'ping', user: 'rg', session: null },
  { ts: at('2026-03-01', '09:00:00'), event: 'ping', user: 'rg', session: null },
  { ts: at('2026-02-25', '09:00:00'), event: 'ping', user: 'ri', session: null },
  { ts: at('2026-02-25', '10:00:00'), event: 'ping', user: 'ri', session: null },
];

/** Project `direct`: u1 and u2 arrive direct (referrer ""), u3 from google, u4 sends no referrer at all. */
export const DIRECT: EventSpec[] = [
  { ts: at('2026-03-05', '10:00:00'), event: 'page_view', user: 'u1', session: 'd1', props: { path: '/', referrer: '' } },
  { ts: at('2026-03-05', '10:01:00'), event: 'signup', user: 'u1', session: 'd1', props: { path: '/signup', coupon: '' } },
  { ts: at('2026-03-06', '10:00:00'), event: 'page_view', user: 'u2', session: 'd2', props: { path: '/', referrer: '' } },
  { ts: at('2026-03-06', '11:00:00'), event: 'page_view', user: 'u3', session: 'd3', props: { path: '/', referrer: 'https://google.com/' } },
  { ts: at('2026-03-06', '11:02:00'), event: 'signup', user: 'u3', session: 'd3', props: { path: '/signup', coupon: 'SPRING' } },
  { ts: at('2026-03-07', '09:00:00'), event: 'page_view', user: 'u4', session: 'd4', props: { path: '/' } },
  { ts: at('2026-03-07', '09:05:00'), event: 'signup', user: 'u4', session: 'd4', props: { path: '/signup' } },
];
