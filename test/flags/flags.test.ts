// Each anomaly flag as a pure function: triggered on the boundary's bad side, silent on the good side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  anonymousTrackingFlags, bounceRateSpikeFlags, EXPERIMENT_SILENCE_MS, experimentConversionFlags,
  projectLimitFlags, retentionCliffFlags, staleHeatmapFlags,
} from '../../src/reports/flags.js';

const insights = (change_pct: number | null) => ({ metrics: { bounce_rate: { current: 0.6, previous: 0.4, change_pct } } });

test('bounce-rate spike: change_pct above +20 only', () => {
  const [flag] = bounceRateSpikeFlags(insights(21));
  assert.equal(flag?.code, 'bounce_rate_spike');
  assert.equal(flag?.severity, 'warning');
  assert.match(flag!.message, /21%/);
  assert.deepEqual(bounceRateSpikeFlags(insights(20)), []);
  assert.deepEqual(bounceRateSpikeFlags(insights(-50)), []);
  assert.deepEqual(bounceRateSpikeFlags(insights(null)), [], 'null change_pct (no previous sessions) is not a spike');
});

test('anonymous-only tracking: events without any user', () => {
  const [flag] = anonymousTrackingFlags({ totals: { unique_users: 0, total_events: 12 } });
  assert.equal(flag?.code, 'anonymous_only_tracking');
  assert.match(flag!.message, /user_id/);
  assert.deepEqual(anonymousTrackingFlags({ totals: { unique_users: 0, total_events: 0 } }), [], 'an empty project is not anonymous tracking');
  assert.deepEqual(anonymousTrackingFlags({ totals: { unique_users: 1, total_events: 12 } }), []);
});

test('experiment without conversions: >= 48 h and every variant at 0', () => {
  const now = Date.parse('2026-03-10T12:00:00.000Z');
  const exp = (ageMs: number, conversions: number[]) => ({
    name: 'signup_cta', goal_event: 'signup', created_at: new Date(now - ageMs).toISOString(),
    results: { variants: conversions.map((c) => ({ conversions: c })) },
  });
  const [flag] = experimentConversionFlags(exp(EXPERIMENT_SILENCE_MS, [0, 0]), now);
  assert.equal(flag?.code, 'experiment_no_conversions');
  assert.match(flag!.message, /'signup'/);
  assert.match(flag!.message, /48 h/);
  assert.deepEqual(experimentConversionFlags(exp(EXPERIMENT_SILENCE_MS - 1, [0, 0]), now), [], 'younger than 48 h');
  assert.deepEqual(experimentConversionFlags(exp(3 * EXPERIMENT_SILENCE_MS, [0, 1]), now), [], 'one variant converted');
});

test('retention cliff: average_rates[1] below 0.10', () => {
  const [flag] = retentionCliffFlags({ period: 'week', average_rates: [1, 0.099] });
  assert.equal(flag?.code, 'retention_cliff');
  assert.equal(flag?.severity, 'critical');
  assert.match(flag!.message, /9\.9%/);
  assert.deepEqual(retentionCliffFlags({ period: 'week', average_rates: [1, 0.1] }), []);
  assert.deepEqual(retentionCliffFlags({ period: 'week', average_rates: [1] }), [], 'one cohort: nothing to compare yet');
  assert.deepEqual(retentionCliffFlags({ period: 'week', average_rates: [] }), []);
});

test('stale heatmap: empty grid or null peak', () => {
  const [flag] = staleHeatmapFlags({ heatmap: [], peak: null });
  assert.equal(flag?.code, 'stale_heatmap');
  assert.match(flag!.message, /since/);
  const cell = { day: 1, day_name: 'Monday', hour: 9, events: 3, users: 2 };
  assert.deepEqual(staleHeatmapFlags({ heatmap: [cell], peak: cell }), []);
});

test('project limit: one slot left or >= 80% used, never for unlimited', () => {
  assert.equal(projectLimitFlags(1, 2)[0]?.code, 'project_limit_approaching');
  assert.equal(projectLimitFlags(8, 10)[0]?.code, 'project_limit_approaching');
  assert.equal(projectLimitFlags(2, 2)[0]?.code, 'project_limit_reached');
  assert.deepEqual(projectLimitFlags(7, 10), []);
  assert.deepEqual(projectLimitFlags(0, 3), []);
  assert.deepEqual(projectLimitFlags(500, -1), []);
});
