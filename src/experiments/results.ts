// Per-variant counts for E28 in one SQL statement on the event store: exposures, first-exposure
// users and their conversions (a goal event at or after the user's first exposure).
import type { EventStore, Experiment, SqlValue } from '../store/ports.js';
import { dialectFor } from '../store/sql/dialects/index.js';
import { experimentResults, type ExperimentResults, type VariantCounts } from './stats.js';

export const EXPOSURE_EVENT = '$experiment_exposure';

/** Exposures, unique users and conversions per configured variant, in configured order. */
export async function variantCounts(events: EventStore, exp: Experiment): Promise<VariantCounts[]> {
  // Plain SQL; the engine's Dialect supplies only placeholders and JSON access (keys are fixed literals).
  const d = dialectFor(events);
  const values: SqlValue[] = [];
  const p = { add: (v: SqlValue) => d.param(values.push(v) - 1) };
  const project = p.add(exp.project_id);
  const since = p.add(Date.parse(exp.created_at));
  const keys = exp.variants.map((v) => p.add(v.key)).join(', ');
  const experiment = d.jsonText('properties', 'experiment');
  const variant = d.jsonText('properties', 'variant');
  // Ties on the first exposure's timestamp are broken by id (ULIDs sort by ingest time).
  const sql = `
    WITH exposed AS (
      SELECT user_id, ts, id, ${variant} AS variant FROM events
      WHERE project_id = ${project} AND event = ${p.add(EXPOSURE_EVENT)} AND ts >= ${since}
        AND ${experiment} = ${p.add(exp.name)} AND ${variant} IN (${keys})
    ),
    per_variant AS (SELECT variant, count(*) AS exposures FROM exposed GROUP BY variant),
    ranked AS (
      SELECT user_id, variant, ts, row_number() OVER (PARTITION BY user_id ORDER BY ts, id) AS rn
      FROM exposed WHERE user_id IS NOT NULL
    ),
    firsts AS (SELECT user_id, variant, ts AS first_ts FROM ranked WHERE rn = 1),
    goals AS (
      SELECT user_id, max(ts) AS last_goal FROM events
      WHERE project_id = ${project} AND event = ${p.add(exp.goal_event)} AND ts >= ${since} AND user_id IS NOT NULL
      GROUP BY user_id
    ),
    users AS (
      SELECT f.variant AS variant, count(*) AS unique_users,
             sum(CASE WHEN g.last_goal >= f.first_ts THEN 1 ELSE 0 END) AS conversions
      FROM firsts f LEFT JOIN goals g ON g.user_id = f.user_id
      GROUP BY f.variant
    )
    SELECT v.variant AS variant, v.exposures AS exposures,
           coalesce(u.unique_users, 0) AS unique_users, coalesce(u.conversions, 0) AS conversions
    FROM per_variant v LEFT JOIN users u ON u.variant = v.variant`;
  const rows = await events.query<{ variant: string; exposures: number; unique_users: number; conversions: number }>({ sql, params: values });
  const byKey = new Map(rows.map((r) => [r.variant, r]));
  return exp.variants.map(({ key }) => {
    const r = byKey.get(key);
    return { key, exposures: Number(r?.exposures ?? 0), unique_users: Number(r?.unique_users ?? 0), conversions: Number(r?.conversions ?? 0) };
  });
}

/** The `results` object of GET /experiments/{id}. */
export async function liveResults(events: EventStore, exp: Experiment): Promise<ExperimentResults> {
  return experimentResults(await variantCounts(events, exp));
}
