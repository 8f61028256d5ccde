// Conformance: POST /query on project `main` — metrics, grouping, filters on every field type, count modes,
// ordering and the INVALID_FILTER_FIELD guidance. Expected rows counted by hand from dataset.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { queryReport } from '../../src/reports/query.js';
import { PROJECTS } from './dataset.js';
import type { Conformance } from './suite.js';

const main = { projectId: PROJECTS.main, project: 'main' };
const INJECTION = "x' OR '1'='1";

export function queryCases(c: Conformance): void {
  const run = (body: Record<string, unknown>) => queryReport(c.ctx(), { ...main, body });
  const count = async (filters: unknown[], extra: Record<string, unknown> = {}) => (await run({ filters, ...extra })).rows[0].event_count;

  test('query: defaults are one aggregate row of event_count over the last 7 days', async () => {
    assert.deepEqual(await run({}), {
      project: 'main', period: { from: '2026-03-02', to: '2026-03-09' }, metrics: ['event_count'], group_by: [],
      rows: [{ event_count: 18 }], count: 1,
    });
  });

  test('query: grouped by date, ascending on request, newest first by default, limit', async () => {
    const body = { metrics: ['event_count', 'unique_users'], group_by: ['date'], filters: [{ field: 'event', op: 'eq', value: 'page_view' }] };
    const asc = await run({ ...body, order: 'asc' });
    assert.deepEqual(asc.rows, [
      { date: '2026-03-02', event_count: 1, unique_users: 1 },
      { date: '2026-03-03', event_count: 1, unique_users: 1 },
      { date: '2026-03-04', event_count: 1, unique_users: 1 },
      { date: '2026-03-05', event_count: 2, unique_users: 1 },
      { date: '2026-03-06', event_count: 2, unique_users: 1 },
      { date: '2026-03-07', event_count: 1, unique_users: 0 },
      { date: '2026-03-08', event_count: 1, unique_users: 1 },
      { date: '2026-03-09', event_count: 1, unique_users: 1 },
    ]);
    assert.equal(asc.count, 8);
    const desc = await run({ ...body, limit: 2 });
    assert.deepEqual(desc.rows.map((r) => r.date), ['2026-03-09', '2026-03-08']);
  });

  test('query: session metrics over whole referenced sessions (Q2), ordered by the first metric', async () => {
    const r = await run({ metrics: ['session_count', 'bounce_rate', 'avg_duration', 'event_count'], group_by: ['event'] });
    assert.deepEqual(r.rows, [
      // s6 is referenced by event 16 (03-02) although it started on 03-01: whole sessions count.
      { event: 'page_view', session_count: 7, bounce_rate: 0.571, avg_duration: 255000, event_count: 10 },
      { event: '$click', session_count: 1, bounce_rate: 0, avg_duration: 60000, event_count: 1 },
      { event: '$error', session_count: 1, bounce_rate: 1, avg_duration: 30000, event_count: 1 },
      { event: '$scroll_depth', session_count: 1, bounce_rate: 1, avg_duration: 70000, event_count: 1 },
      { event: 'purchase', session_count: 1, bounce_rate: 0, avg_duration: 720000, event_count: 1 },
      { event: 'signup', session_count: 1, bounce_rate: 0, avg_duration: 5000, event_count: 1 },
      { event: 'server_sync', session_count: 0, bounce_rate: 0, avg_duration: 0, event_count: 2 },
      { event: INJECTION, session_count: 0, bounce_rate: 0, avg_duration: 0, event_count: 1 },
    ]);
  });

  test('query: session metrics grouped by date equal each day asked alone (three joined blocks)', async () => {
    const metrics = ['session_count', 'bounce_rate', 'avg_duration', 'unique_users', 'event_count'];
    const byDate = await run({ metrics, group_by: ['date'], order: 'asc' });
    assert.equal(byDate.rows.length, 8);
    assert.ok(byDate.rows.some((r) => Number(r.session_count) > 0), 'the dataset has sessions in the window');
    for (const row of byDate.rows) {
      const alone = await run({ metrics, date_from: row.date, date_to: row.date });
      assert.deepEqual({ date: row.date, ...alone.rows[0] }, row, `day ${row.date}`);
    }
  });

  test('query: ordering by a rate, ties by label, limit after ordering', async () => {
    const r = await run({ metrics: ['bounce_rate', 'event_count'], group_by: ['event'], limit: 4 });
    assert.deepEqual(r.rows, [
      { event: '$error', bounce_rate: 1, event_count: 1 },
      { event: '$scroll_depth', bounce_rate: 1, event_count: 1 },
      { event: 'page_view', bounce_rate: 0.571, event_count: 10 },
      { event: '$click', bounce_rate: 0, event_count: 1 },
    ]);
    const byUsers = await run({ metrics: ['event_count', 'unique_users'], group_by: ['event'], order_by: 'unique_users', limit: 3 });
    assert.deepEqual(byUsers.rows.map((x) => x.event), ['page_view', '$click', '$error']);
    const ignored = await run({ metrics: ['event_count'], group_by: ['event'], order_by: 'bounce_rate', order: 'sideways', limit: 2 });
    assert.deepEqual(ignored.rows, [{ event: 'page_view', event_count: 10 }, { event: 'server_sync', event_count: 2 }]);
  });

  test('query: NULL groups are groups (country), joined to their session metrics', async () => {
    const r = await run({ metrics: ['event_count', 'bounce_rate', 'avg_duration'], group_by: ['country'] });
    assert.deepEqual(r.rows, [
      { country: 'US', event_count: 7, bounce_rate: 1, avg_duration: 33333 },
      { country: 'DE', event_count: 5, bounce_rate: 0, avg_duration: 362500 },
      { country: null, event_count: 3, bounce_rate: 0, avg_duration: 60000 },
      { country: 'FR', event_count: 2, bounce_rate: 0, avg_duration: 60000 },
      { country: 'GB', event_count: 1, bounce_rate: 1, avg_duration: 900000 },
    ]);
    const users = await run({ group_by: ['user_id'], order: 'asc', limit: 3 });
    assert.deepEqual(users.rows, [{ user_id: 'u4', event_count: 1 }, { user_id: 'u3', event_count: 2 }, { user_id: 'u5', event_count: 3 }]);
  });

  test('query: distinct users over bounded windows and among the top groups only (a NULL group in the top)', async () => {
    const bounded = await run({ metrics: ['unique_users', 'event_count'], date_from: '2026-03-04', date_to: '2026-03-08' });
    assert.deepEqual(bounded.rows, [{ unique_users: 3, event_count: 13 }]); // 2 + 3 + 3 + 2 + 3 events; u1 u2 u3
    const perDay = await run({ metrics: ['unique_users'], group_by: ['date'], date_from: '2026-03-06', date_to: '2026-03-07', order: 'asc' });
    assert.deepEqual(perDay.rows, [{ date: '2026-03-06', unique_users: 1 }, { date: '2026-03-07', unique_users: 1 }]);
    const top = await run({ metrics: ['event_count', 'unique_users', 'session_count'], group_by: ['country'], limit: 3 });
    assert.deepEqual(top.rows, [
      { country: 'US', event_count: 7, unique_users: 2, session_count: 3 },
      { country: 'DE', event_count: 5, unique_users: 1, session_count: 2 },
      { country: null, event_count: 3, unique_users: 1, session_count: 1 },
    ]);
  });

  test('query: two group keys with a session metric, date order then labels', async () => {
    const r = await run({ metrics: ['bounce_rate', 'session_count'], group_by: ['date', 'event'], filters: [{ field: 'event', op: 'eq', value: 'page_view' }], order: 'asc' });
    assert.deepEqual(r.rows, [
      { date: '2026-03-02', event: 'page_view', bounce_rate: 1, session_count: 1 },
      { date: '2026-03-03', event: 'page_view', bounce_rate: 1, session_count: 1 },
      { date: '2026-03-04', event: 'page_view', bounce_rate: 1, session_count: 1 },
      { date: '2026-03-05', event: 'page_view', bounce_rate: 0, session_count: 1 },
      { date: '2026-03-06', event: 'page_view', bounce_rate: 0, session_count: 1 },
      { date: '2026-03-07', event: 'page_view', bounce_rate: 1, session_count: 1 },
      { date: '2026-03-08', event: 'page_view', bounce_rate: 0, session_count: 1 },
      { date: '2026-03-09', event: 'page_view', bounce_rate: 1, session_count: 1 },
    ]);
  });

  test('query: count_mode session_then_user deduplicates per (user, session), per user, per row', async () => {
    assert.deepEqual((await run({ metrics: ['event_count', 'unique_users'], count_mode: 'session_then_user' })).rows, [{ event_count: 9, unique_users: 5 }]);
    const byEvent = await run({ group_by: ['event'], count_mode: 'session_then_user' });
    assert.deepEqual(byEvent.rows, [
      { event: 'page_view', event_count: 8 },
      { event: 'server_sync', event_count: 2 },
      { event: '$click', event_count: 1 },
      { event: '$error', event_count: 1 },
      { event: '$scroll_depth', event_count: 1 },
      { event: 'purchase', event_count: 1 },
      { event: 'signup', event_count: 1 },
      { event: INJECTION, event_count: 1 },
    ]);
  });

  test('query: property filters follow the stored JSON type; absent never matches, neq included', async () => {
    assert.equal(await count([{ field: 'properties.amount', op: 'gt', value: 5 }]), 2);
    assert.equal(await count([{ field: 'properties.amount', op: 'eq', value: 10 }]), 1);
    assert.equal(await count([{ field: 'properties.amount', op: 'eq', value: '10' }]), 1);
    assert.equal(await count([{ field: 'properties.amount', op: 'lt', value: 3 }]), 1);
    assert.equal(await count([{ field: 'properties.plan', op: 'neq', value: 'pro' }]), 0);
    assert.equal(await count([{ field: 'properties.plan', op: 'neq', value: 'free' }]), 2);
    assert.equal(await count([{ field: 'properties.nope', op: 'neq', value: 'x' }]), 0);
    assert.equal(await count([{ field: 'properties.depth', op: 'gte', value: 50 }]), 1);
    assert.equal(await count([{ field: 'properties.seats', op: 'eq', value: 5 }]), 1);
    assert.equal(await count([{ field: 'properties.path', op: 'gt', value: '/q' }]), 2);
  });

  test('query: contains is ASCII case-insensitive with literal wildcards; injection-shaped values are literals', async () => {
    assert.equal(await count([{ field: 'properties.path', op: 'contains', value: 'PRIC' }]), 4);
    assert.equal(await count([{ field: 'properties.path', op: 'contains', value: '%' }]), 0);
    assert.equal(await count([{ field: 'properties.path', op: 'contains', value: '_' }]), 0);
    assert.equal(await count([{ field: 'properties.message', op: 'contains', value: 'drop table' }]), 1);
    assert.equal(await count([{ field: 'event', op: 'contains', value: 'SERVER' }]), 2);
    assert.equal(await count([{ field: 'event', op: 'eq', value: INJECTION }]), 1);
    assert.equal(await count([{ field: 'user_id', op: 'eq', value: "u1' OR '1'='1" }]), 0);
    assert.equal(await count([{ field: 'user_id', op: 'eq', value: true }]), 0);
  });

  test('query: built-in fields — timestamp (ms, digits, ISO), date, country, user_id, session_id', async () => {
    assert.equal(await count([{ field: 'timestamp', op: 'gte', value: '2026-03-09T09:00:30Z' }]), 2);
    assert.equal(await count([{ field: 'timestamp', op: 'lt', value: Date.parse('2026-03-02T12:00:00Z') }]), 1);
    assert.equal(await count([{ field: 'timestamp', op: 'lte', value: String(Date.parse('2026-03-04T00:00:40Z')) }]), 4);
    assert.equal(await count([{ field: 'date', op: 'eq', value: '2026-03-05' }]), 3);
    assert.equal(await count([{ field: 'date', op: 'gte', value: '2026-03-08T23:00:00Z' }]), 6);
    assert.equal(await count([{ field: 'country', op: 'eq', value: 'US' }]), 7);
    assert.equal(await count([{ field: 'user_id', op: 'neq', value: 'u1' }]), 11);
    assert.equal(await count([{ field: 'session_id', op: 'eq', value: 's2' }]), 3);
    assert.equal(await count([{ field: 'event', op: 'eq', value: 'page_view' }, { field: 'country', op: 'eq', value: 'DE' }]), 3);
  });

  test('query: date_from and date_to bound the window inclusively', async () => {
    const r = await run({ date_from: '2026-03-05', date_to: '2026-03-06T23:59:59Z' });
    assert.deepEqual(r.period, { from: '2026-03-05', to: '2026-03-06' });
    assert.deepEqual(r.rows, [{ event_count: 6 }]);
  });

  test('query: an unknown filter field answers the guidance body with what exists in the window', async () => {
    await assert.rejects(run({ filters: [{ field: 'referrer', op: 'eq', value: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'INVALID_FILTER_FIELD');
      assert.match(err.message, /unknown filter field 'referrer'.*properties\.referrer/);
      assert.equal(err.extra.suggested_field, 'properties.referrer');
      const available = err.extra.available_properties as { events: { event: string; count: number }[]; property_keys: string[] };
      assert.deepEqual(available.events.map((e) => [e.event, e.count]), [
        ['page_view', 10], ['server_sync', 2], ['$click', 1], ['$error', 1], ['$scroll_depth', 1], ['purchase', 1], ['signup', 1], [INJECTION, 1],
      ]);
      assert.deepEqual(available.property_keys, ['amount', 'depth', 'message', 'path', 'plan', 'referrer', 'seats', 'source', 'target', 'url', 'utm_source']);
      return true;
    });
    await assert.rejects(run({ filters: [{ field: 'a b', op: 'eq', value: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof ApiError && err.code === 'INVALID_FILTER_FIELD' && err.extra.suggested_field === null);
      return true;
    });
  });
}
