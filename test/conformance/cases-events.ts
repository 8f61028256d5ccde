// Conformance: event-level questions on project `main` (stats, properties, breakdown, heatmap, insights).
// Every expected value below was counted by hand from dataset.ts (now = Mon 2026-03-09 12:00 UTC).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakdownReport } from '../../src/reports/breakdown.js';
import { heatmapReport } from '../../src/reports/heatmap.js';
import { insightsReport } from '../../src/reports/insights.js';
import { propertiesReceivedReport, propertiesReport } from '../../src/reports/properties.js';
import { statsReport } from '../../src/reports/stats.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const main = { projectId: PROJECTS.main, project: 'main' };
const empty = { projectId: PROJECTS.empty, project: 'empty' };
const INJECTION = "x' OR '1'='1";

export function eventCases(c: Conformance): void {
  test('stats, 7 days by day: totals, every non-empty day, top events with name tie-breaks, sessions', async () => {
    assert.deepEqual(await statsReport(c.ctx(), { ...main, since: '7d', groupBy: 'day' }), {
      project: 'main',
      period: { from: '2026-03-02', to: '2026-03-09', groupBy: 'day' },
      totals: { unique_users: 5, total_events: 18 },
      timeSeries: [
        { bucket: '2026-03-02', unique_users: 1, total_events: 1 },
        { bucket: '2026-03-03', unique_users: 1, total_events: 1 },
        { bucket: '2026-03-04', unique_users: 1, total_events: 2 },
        { bucket: '2026-03-05', unique_users: 1, total_events: 3 },
        { bucket: '2026-03-06', unique_users: 1, total_events: 3 },
        { bucket: '2026-03-07', unique_users: 1, total_events: 2 },
        { bucket: '2026-03-08', unique_users: 1, total_events: 3 },
        { bucket: '2026-03-09', unique_users: 1, total_events: 3 },
      ],
      events: [
        { event: 'page_view', count: 10, unique_users: 5 },
        { event: 'server_sync', count: 2, unique_users: 1 },
        { event: '$click', count: 1, unique_users: 1 },
        { event: '$error', count: 1, unique_users: 1 },
        { event: '$scroll_depth', count: 1, unique_users: 1 },
        { event: 'purchase', count: 1, unique_users: 1 },
        { event: 'signup', count: 1, unique_users: 1 },
        { event: INJECTION, count: 1, unique_users: 1 },
      ],
      // s1 s2 s3 s4 s5 s7 (s6 started on 03-01): bounces s1 s4 s7; durations 70000+5000+60000+0+720000+30000.
      sessions: { total_sessions: 6, bounce_rate: 0.5, avg_duration: 147500, pages_per_session: 2.3, sessions_per_user: 1.5 },
    });
  });

  test('stats and breakdown with filters (/query filters as a JSON array): events matching, sessions holding one', async () => {
    const us = JSON.stringify([{ field: 'country', op: 'eq', value: 'US' }]);
    // Events 1 2 3 10 17 18 19; sessions s1 s4 s7 (all bounces; 70000 + 0 + 30000 ms; 3 + 1 + 2 events; users u1 u5).
    assert.deepEqual(await statsReport(c.ctx(), { ...main, since: '7d', groupBy: 'day', filters: us }), {
      project: 'main',
      period: { from: '2026-03-02', to: '2026-03-09', groupBy: 'day' },
      totals: { unique_users: 2, total_events: 7 },
      timeSeries: [
        { bucket: '2026-03-03', unique_users: 1, total_events: 1 },
        { bucket: '2026-03-04', unique_users: 1, total_events: 2 },
        { bucket: '2026-03-07', unique_users: 0, total_events: 1 },
        { bucket: '2026-03-09', unique_users: 1, total_events: 3 },
      ],
      events: [
        { event: 'page_view', count: 4, unique_users: 2 },
        { event: '$error', count: 1, unique_users: 1 },
        { event: '$scroll_depth', count: 1, unique_users: 1 },
        { event: INJECTION, count: 1, unique_users: 1 },
      ],
      sessions: { total_sessions: 3, bounce_rate: 1, avg_duration: 33333, pages_per_session: 2, sessions_per_user: 1.5 },
    });
    const de = JSON.stringify([{ field: 'country', op: 'eq', value: 'DE' }]);
    assert.deepEqual(await breakdownReport(c.ctx(), { ...main, property: 'path', event: 'page_view', since: '7d', limit: undefined, filters: de }), {
      project: 'main', property: 'path', event: 'page_view',
      values: [{ value: '/', count: 1, unique_users: 1 }, { value: '/pricing', count: 1, unique_users: 1 }, { value: '/welcome', count: 1, unique_users: 1 }],
      total_events: 3, total_with_property: 3,
    });
    const amount = JSON.stringify([{ field: 'properties.amount', op: 'gt', value: 5 }]);
    assert.deepEqual((await breakdownReport(c.ctx(), { ...main, property: 'source', event: undefined, since: '7d', limit: undefined, filters: amount })).values, [
      { value: 'api', count: 1, unique_users: 1 },
    ]);
  });

  test('stats: Monday weeks, months, unknown groupBy falls back to day', async () => {
    const week = await statsReport(c.ctx(), { ...main, since: '7d', groupBy: 'week' });
    assert.deepEqual(week.timeSeries, [
      { bucket: '2026-03-02', unique_users: 4, total_events: 15 },
      { bucket: '2026-03-09', unique_users: 1, total_events: 3 },
    ]);
    const month = await statsReport(c.ctx(), { ...main, since: '7d', groupBy: 'month' });
    assert.deepEqual(month.timeSeries, [{ bucket: '2026-03', unique_users: 5, total_events: 18 }]);
    const bogus = await statsReport(c.ctx(), { ...main, since: '7d', groupBy: "day'; --" });
    assert.equal(bogus.period.groupBy, 'day');
    assert.equal(bogus.timeSeries.length, 8);
  });

  test('stats by hour: the series starts at the exact instant, totals keep whole dates', async () => {
    const r = await statsReport(c.ctx(), { ...main, since: '7d', groupBy: 'hour' });
    assert.deepEqual(r.totals, { unique_users: 5, total_events: 18 });
    // since=7d → 2026-03-02T12:00: event 16 (00:05 that day) is outside the series.
    assert.deepEqual(r.timeSeries, [
      { bucket: '2026-03-03T23:00', unique_users: 1, total_events: 1 },
      { bucket: '2026-03-04T00:00', unique_users: 1, total_events: 2 },
      { bucket: '2026-03-05T10:00', unique_users: 1, total_events: 3 },
      { bucket: '2026-03-06T09:00', unique_users: 1, total_events: 3 },
      { bucket: '2026-03-07T14:00', unique_users: 1, total_events: 2 },
      { bucket: '2026-03-08T08:00', unique_users: 0, total_events: 1 },
      { bucket: '2026-03-08T20:00', unique_users: 1, total_events: 2 },
      { bucket: '2026-03-09T09:00', unique_users: 1, total_events: 2 },
      { bucket: '2026-03-09T10:00', unique_users: 1, total_events: 1 },
    ]);
    const iso = await statsReport(c.ctx(), { ...main, since: '2026-03-08T15:00:00Z', groupBy: 'hour' });
    assert.deepEqual(iso, {
      project: 'main',
      period: { from: '2026-03-08', to: '2026-03-09', groupBy: 'hour' },
      totals: { unique_users: 2, total_events: 6 },
      timeSeries: [
        { bucket: '2026-03-08T20:00', unique_users: 1, total_events: 2 },
        { bucket: '2026-03-09T09:00', unique_users: 1, total_events: 2 },
        { bucket: '2026-03-09T10:00', unique_users: 1, total_events: 1 },
      ],
      events: [
        { event: 'page_view', count: 2, unique_users: 2 },
        { event: '$error', count: 1, unique_users: 1 },
        { event: 'purchase', count: 1, unique_users: 1 },
        { event: 'server_sync', count: 1, unique_users: 0 },
        { event: INJECTION, count: 1, unique_users: 1 },
      ],
      sessions: { total_sessions: 2, bounce_rate: 0.5, avg_duration: 375000, pages_per_session: 2, sessions_per_user: 1 },
    });
  });

  test('stats: retention clamps the window; an empty project answers zeros and empty arrays', async () => {
    const clamped = await statsReport(c.ctx(2), { ...main, since: '7d', groupBy: 'day' });
    assert.equal(clamped.period.from, '2026-03-07');
    assert.deepEqual(clamped.totals, { unique_users: 3, total_events: 8 });
    assert.deepEqual(await statsReport(c.ctx(), { ...empty, since: undefined, groupBy: undefined }), {
      project: 'empty',
      period: { from: '2026-03-02', to: '2026-03-09', groupBy: 'day' },
      totals: { unique_users: 0, total_events: 0 },
      timeSeries: [],
      events: [],
      sessions: { total_sessions: 0, bounce_rate: 0, avg_duration: 0, pages_per_session: 0, sessions_per_user: 0 },
    });
  });

  test('properties: events with first/last seen, keys of recent non-empty property objects', async () => {
    assert.deepEqual(await propertiesReport(c.ctx(), { ...main, since: '7d' }), {
      project: 'main',
      events: [
        { event: 'page_view', count: 10, unique_users: 5, first_seen: '2026-03-02', last_seen: '2026-03-09' },
        { event: 'server_sync', count: 2, unique_users: 1, first_seen: '2026-03-07', last_seen: '2026-03-08' },
        { event: '$click', count: 1, unique_users: 1, first_seen: '2026-03-06', last_seen: '2026-03-06' },
        { event: '$error', count: 1, unique_users: 1, first_seen: '2026-03-09', last_seen: '2026-03-09' },
        { event: '$scroll_depth', count: 1, unique_users: 1, first_seen: '2026-03-04', last_seen: '2026-03-04' },
        { event: 'purchase', count: 1, unique_users: 1, first_seen: '2026-03-08', last_seen: '2026-03-08' },
        { event: 'signup', count: 1, unique_users: 1, first_seen: '2026-03-05', last_seen: '2026-03-05' },
        { event: INJECTION, count: 1, unique_users: 1, first_seen: '2026-03-09', last_seen: '2026-03-09' },
      ],
      property_keys: ['amount', 'depth', 'message', 'path', 'plan', 'referrer', 'seats', 'source', 'target', 'url', 'utm_source'],
    });
    assert.deepEqual(await propertiesReport(c.ctx(), { ...empty, since: '7d' }), { project: 'empty', events: [], property_keys: [] });
  });

  test('properties/received: each (key, event) pair once, sorted by key then event', async () => {
    assert.deepEqual(await propertiesReceivedReport(c.ctx(), { ...main, since: '7d', sample: 'lots' }), {
      project: 'main',
      sample_size: 5000,
      since: '2026-03-02',
      properties: [
        { key: 'amount', event: 'purchase' }, { key: 'amount', event: 'server_sync' },
        { key: 'depth', event: '$scroll_depth' },
        { key: 'message', event: '$error' },
        { key: 'path', event: '$click' }, { key: 'path', event: '$error' }, { key: 'path', event: '$scroll_depth' },
        { key: 'path', event: 'page_view' }, { key: 'path', event: 'purchase' }, { key: 'path', event: 'signup' }, { key: 'path', event: INJECTION },
        { key: 'plan', event: 'purchase' }, { key: 'plan', event: 'signup' },
        { key: 'referrer', event: 'page_view' },
        { key: 'seats', event: 'signup' },
        { key: 'source', event: 'server_sync' },
        { key: 'target', event: '$click' },
        { key: 'url', event: 'page_view' },
        { key: 'utm_source', event: 'page_view' },
      ],
    });
  });

  test('breakdown: top values with ties by value, totals with and without the property', async () => {
    assert.deepEqual(await breakdownReport(c.ctx(), { ...main, property: 'path', event: undefined, since: '7d', limit: undefined }), {
      project: 'main', property: 'path', event: null,
      values: [
        { value: '/', count: 5, unique_users: 3 },
        { value: '/pricing', count: 4, unique_users: 2 },
        { value: '/blog', count: 1, unique_users: 1 },
        { value: '/checkout', count: 1, unique_users: 1 },
        { value: '/docs', count: 1, unique_users: 1 },
        { value: '/signup', count: 1, unique_users: 1 },
        { value: '/welcome', count: 1, unique_users: 1 },
      ],
      total_events: 18, total_with_property: 14,
    });
    const top = await breakdownReport(c.ctx(), { ...main, property: 'path', event: undefined, since: '7d', limit: '3' });
    assert.deepEqual(top.values.map((v) => v.value), ['/', '/pricing', '/blog']);
  });

  test('breakdown: numbers as JSON text, an event filter, the country column', async () => {
    const amount = await breakdownReport(c.ctx(), { ...main, property: 'amount', event: undefined, since: '7d', limit: undefined });
    assert.deepEqual(amount.values, [
      { value: '10', count: 1, unique_users: 1 },
      { value: '2.5', count: 1, unique_users: 0 },
      { value: '49', count: 1, unique_users: 1 },
    ]);
    assert.equal(amount.total_with_property, 3);
    assert.deepEqual(await breakdownReport(c.ctx(), { ...main, property: 'plan', event: 'signup', since: '7d', limit: undefined }), {
      project: 'main', property: 'plan', event: 'signup', values: [{ value: 'pro', count: 1, unique_users: 1 }], total_events: 1, total_with_property: 1,
    });
    const seats = await breakdownReport(c.ctx(), { ...main, property: 'seats', event: 'signup', since: '7d', limit: undefined });
    assert.deepEqual(seats.values, [{ value: '5', count: 1, unique_users: 1 }]);
    assert.deepEqual(await breakdownReport(c.ctx(), { ...main, property: 'country', event: undefined, since: '7d', limit: undefined }), {
      project: 'main', property: 'country', event: null,
      values: [
        { value: 'US', count: 7, unique_users: 2 },
        { value: 'DE', count: 5, unique_users: 1 },
        { value: 'FR', count: 2, unique_users: 1 },
        { value: 'GB', count: 1, unique_users: 1 },
      ],
      total_events: 18, total_with_property: 15,
    });
    const injected = await breakdownReport(c.ctx(), { ...main, property: 'path', event: INJECTION, since: '7d', limit: undefined });
    assert.deepEqual(injected.values, [{ value: '/', count: 1, unique_users: 1 }]);
  });

  test('heatmap: non-empty cells by UTC weekday and hour; the earliest of tied peaks', async () => {
    assert.deepEqual(await heatmapReport(c.ctx(), { ...main, since: '7d' }), {
      project: 'main',
      heatmap: [
        { day: 0, day_name: 'Sunday', hour: 8, events: 1, users: 0 },
        { day: 0, day_name: 'Sunday', hour: 20, events: 2, users: 1 },
        { day: 1, day_name: 'Monday', hour: 0, events: 1, users: 1 },
        { day: 1, day_name: 'Monday', hour: 9, events: 2, users: 1 },
        { day: 1, day_name: 'Monday', hour: 10, events: 1, users: 1 },
        { day: 2, day_name: 'Tuesday', hour: 23, events: 1, users: 1 },
        { day: 3, day_name: 'Wednesday', hour: 0, events: 2, users: 1 },
        { day: 4, day_name: 'Thursday', hour: 10, events: 3, users: 1 },
        { day: 5, day_name: 'Friday', hour: 9, events: 3, users: 1 },
        { day: 6, day_name: 'Saturday', hour: 14, events: 2, users: 1 },
      ],
      peak: { day: 4, day_name: 'Thursday', hour: 10, events: 3, users: 1 },
      busiest_day: 'Monday',
      busiest_hour: 9,
    });
  });

  test('heatmap: ties for busiest day and hour go to the lowest number; empty state', async () => {
    assert.deepEqual(await heatmapReport(c.ctx(), { ...main, since: '2026-03-08' }), {
      project: 'main',
      heatmap: [
        { day: 0, day_name: 'Sunday', hour: 8, events: 1, users: 0 },
        { day: 0, day_name: 'Sunday', hour: 20, events: 2, users: 1 },
        { day: 1, day_name: 'Monday', hour: 9, events: 2, users: 1 },
        { day: 1, day_name: 'Monday', hour: 10, events: 1, users: 1 },
      ],
      peak: { day: 0, day_name: 'Sunday', hour: 20, events: 2, users: 1 },
      busiest_day: 'Sunday',
      busiest_hour: 9,
    });
    assert.deepEqual(await heatmapReport(c.ctx(), { ...empty, since: '7d' }), { project: 'empty', heatmap: [], peak: null, busiest_day: null, busiest_hour: null });
  });

  test('insights: non-overlapping 7-day windows, whole-session metrics, growing trend', async () => {
    assert.deepEqual(await insightsReport(c.ctx(), { ...main, period: undefined }), {
      project: 'main',
      current_period: { from: '2026-03-03', to: '2026-03-09' },
      previous_period: { from: '2026-02-24', to: '2026-03-02' },
      metrics: {
        total_events: { current: 17, previous: 2, change: 15, change_pct: 750 },
        unique_users: { current: 4, previous: 1, change: 3, change_pct: 300 },
        total_sessions: { current: 6, previous: 1, change: 5, change_pct: 500 },
        bounce_rate: { current: 0.5, previous: 1, change: -0.5, change_pct: -50 },
        avg_duration: { current: 147500, previous: 900000, change: -752500, change_pct: -84 },
      },
      trend: 'growing',
    });
  });

  test('insights: 1d windows (stable trend, null change_pct when previous is 0), 30d (null → growing)', async () => {
    assert.deepEqual(await insightsReport(c.ctx(), { ...main, period: '1d' }), {
      project: 'main',
      current_period: { from: '2026-03-09', to: '2026-03-09' },
      previous_period: { from: '2026-03-08', to: '2026-03-08' },
      metrics: {
        total_events: { current: 3, previous: 3, change: 0, change_pct: 0 },
        unique_users: { current: 1, previous: 1, change: 0, change_pct: 0 },
        total_sessions: { current: 1, previous: 1, change: 0, change_pct: 0 },
        bounce_rate: { current: 1, previous: 0, change: 1, change_pct: null },
        avg_duration: { current: 30000, previous: 720000, change: -690000, change_pct: -96 },
      },
      trend: 'stable',
    });
    const month = await insightsReport(c.ctx(), { ...main, period: '30d' });
    assert.deepEqual(month.metrics.total_events, { current: 20, previous: 0, change: 20, change_pct: null });
    assert.equal(month.trend, 'growing');
    const none = await insightsReport(c.ctx(), { ...empty, period: '7d' });
    assert.deepEqual(none.metrics.bounce_rate, { current: 0, previous: 0, change: 0, change_pct: 0 });
    assert.equal(none.trend, 'stable');
  });
}
