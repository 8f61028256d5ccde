// The /live snapshot on a hand-checked set of buffered events, and the `window` clamping rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveSnapshot, liveWindowSeconds } from '../../src/reports/live.js';
import type { LiveEvent } from '../../src/store/ports.js';

const NOW = Date.UTC(2026, 2, 9, 12, 0, 0);
let seq = 0;
const e = (ago: number, event: string, user: string | null, session: string | null, path?: string | number, country: string | null = null): LiveEvent => ({
  id: `E${String(++seq).padStart(3, '0')}`, project_id: 'p', event, user_id: user, session_id: session,
  properties: path === undefined ? null : { path }, timestamp: NOW - ago * 1000, country,
});

// Buffer in arrival order. With window=60 the first two are outside it.
const buffered: LiveEvent[] = [
  e(200, 'page_view', 'old', 's-old', '/old'), // too old for 60 s, inside 300 s
  e(61, 'page_view', 'u9', 's9', '/'), // just outside 60 s
  e(60, 'page_view', 'u1', 's1', '/'), // exactly at the edge: included (timestamp ≥ now − window)
  e(50, 'page_view', 'u2', 's2', '/pricing'),
  e(40, 'cta_click', 'u1', 's1', '/'),
  e(30, 'page_view', 'u3', 's3', '/pricing'),
  e(30, 'signup', 'u3', 's3', '/pricing', 'US'), // same timestamp as the previous, arrived later
  e(20, 'page_view', 'u1', 's1b', '/docs'),
  e(10, 'page_view', null, null, '/docs'), // anonymous: counts as an event, not as a visitor or session
  e(5, 'cta_click', 'u2', 's2', 7), // non-string path: not a page
  e(1, '$error', 'u4', 's4'), // no properties
  e(2, 'page_view', 'u5', 's5', ''), // empty path: not a page; arrived after a newer event
];

test('/live snapshot: visitors, sessions, rate, top pages/events and recent events from a known buffer', () => {
  const s = liveSnapshot('acme', buffered, 60, NOW);
  assert.deepEqual(s, {
    project: 'acme',
    window_seconds: 60,
    timestamp: NOW,
    active_visitors: 5, // u1 u2 u3 u4 u5
    active_sessions: 6, // s1 s1b s2 s3 s4 s5
    events_per_minute: 10, // 10 events in 60 s
    top_pages: [
      { path: '/pricing', visitors: 2 }, // u2, u3
      { path: '/', visitors: 1 }, // u1 (twice)
      { path: '/docs', visitors: 1 }, // u1 + anonymous; tie with '/' broken by path
    ],
    top_events: [
      { event: 'page_view', count: 6 },
      { event: 'cta_click', count: 2 },
      { event: '$error', count: 1 },
      { event: 'signup', count: 1 },
    ],
    recent_events: [
      { event: '$error', properties: null, user_id: 'u4', session_id: 's4', timestamp: NOW - 1000, country: null },
      { event: 'page_view', properties: { path: '' }, user_id: 'u5', session_id: 's5', timestamp: NOW - 2000, country: null },
      { event: 'cta_click', properties: { path: 7 }, user_id: 'u2', session_id: 's2', timestamp: NOW - 5000, country: null },
      { event: 'page_view', properties: { path: '/docs' }, user_id: null, session_id: null, timestamp: NOW - 10_000, country: null },
      { event: 'page_view', properties: { path: '/docs' }, user_id: 'u1', session_id: 's1b', timestamp: NOW - 20_000, country: null },
      { event: 'signup', properties: { path: '/pricing' }, user_id: 'u3', session_id: 's3', timestamp: NOW - 30_000, country: 'US' },
      { event: 'page_view', properties: { path: '/pricing' }, user_id: 'u3', session_id: 's3', timestamp: NOW - 30_000, country: null },
      { event: 'cta_click', properties: { path: '/' }, user_id: 'u1', session_id: 's1', timestamp: NOW - 40_000, country: null },
      { event: 'page_view', properties: { path: '/pricing' }, user_id: 'u2', session_id: 's2', timestamp: NOW - 50_000, country: null },
      { event: 'page_view', properties: { path: '/' }, user_id: 'u1', session_id: 's1', timestamp: NOW - 60_000, country: null },
    ],
  });
});

test('/live snapshot: a wider window takes in older buffered events; rate is per minute of the window', () => {
  const s = liveSnapshot('acme', buffered, 300, NOW);
  assert.equal(s.active_visitors, 7); // + old, u9
  assert.equal(s.events_per_minute, Math.round((12 * 60) / 300)); // 2.4 → 2
  assert.deepEqual(s.top_pages.map((p) => p.path), ['/', '/pricing', '/docs', '/old']); // '/' now has u1 + u9
});

test('/live snapshot: empty buffer → zeros and empty lists; top lists stop at 10', () => {
  assert.deepEqual(liveSnapshot('acme', [], 60, NOW), {
    project: 'acme', window_seconds: 60, timestamp: NOW, active_visitors: 0, active_sessions: 0,
    events_per_minute: 0, top_pages: [], top_events: [], recent_events: [],
  });
  const many = Array.from({ length: 15 }, (_, i) => e(1, `ev${String(i).padStart(2, '0')}`, `u${i}`, null, `/p${i}`));
  const s = liveSnapshot('acme', many, 60, NOW);
  assert.equal(s.top_events.length, 10);
  assert.equal(s.top_pages.length, 10);
  assert.equal(s.recent_events.length, 10);
  assert.equal(s.top_events[0].event, 'ev00');
});

test('window: default 60, clamped to [10, 300], non-numeric → 60', () => {
  const cases: [unknown, number][] = [
    [undefined, 60], ['', 60], ['abc', 60], ['60s', 60], ['NaN', 60],
    ['5', 10], ['-3', 10], ['0', 10], ['10', 10], ['120', 120], ['300', 300], ['301', 300], ['99999', 300],
    ['45.9', 45], [' 30 ', 30], [90, 90],
  ];
  for (const [raw, want] of cases) assert.equal(liveWindowSeconds(raw), want, `window=${JSON.stringify(raw)}`);
});
