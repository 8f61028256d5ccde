// E28's per-variant counts as one statement: exposures, first-exposure users and their conversions (a goal
// event at or after the user's first exposure). Plain SQL; the Dialect supplies placeholders and JSON access.
import type { CompiledSql, Experiment } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';

/** Rows {variant, exposures, unique_users, conversions} for the experiment's configured variants. */
export function compileVariantCounts(d: Dialect, exp: Experiment, exposureEvent: string): CompiledSql {
  const b = new Binder(d);
  const project = b.bind(exp.project_id);
  const since = b.bind(Date.parse(exp.created_at));
  const keys = exp.variants.map((v) => b.bind(v.key)).join(', ');
  const experiment = d.jsonText('properties', 'experiment');
  const variant = d.jsonText('properties', 'variant');
  // Ties on the first exposure's timestamp are broken by id (ULIDs sort by ingest time).
  const sql = `
    WITH exposed AS (
      SELECT user_id, ts, id, ${variant} AS variant FROM events
      WHERE project_id = ${project} AND event = ${b.bind(exposureEvent)} AND ts >= ${since}
        AND ${experiment} = ${b.bind(exp.name)} AND ${variant} IN (${keys})
    ),
    per_variant AS (SELECT variant, count(*) AS exposures FROM exposed GROUP BY variant),
    ranked AS (
      SELECT user_id, variant, ts, row_number() OVER (PARTITION BY user_id ORDER BY ts, id) AS rn
      FROM exposed WHERE user_id IS NOT NULL
    ),
    firsts AS (SELECT user_id, variant, ts AS first_ts FROM ranked WHERE rn = 1),
    goals AS (
      SELECT user_id, max(ts) AS last_goal FROM events
      WHERE project_id = ${project} AND event = ${b.bind(exp.goal_event)} AND ts >= ${since} AND user_id IS NOT NULL
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
  return { sql, params: b.values };
}
