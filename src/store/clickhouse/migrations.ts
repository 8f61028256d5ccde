// Versioned ClickHouse schema. ClickHouse has no transactional DDL, so every statement must be
// idempotent (IF NOT EXISTS …): a migration interrupted halfway is simply run again.
// Append new versions; never edit an applied one.
import { type ClickHouseTarget, onCluster, replacing } from './ddl.js';
import { backfillStatements, rollupStatements } from './rollups.js';

export type { ClickHouseTarget } from './ddl.js';

export interface ClickHouseMigration {
  version: number;
  statements: (t: ClickHouseTarget) => string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Database and cluster names end up in DDL text (ClickHouse cannot bind identifiers), so they are checked. */
export function checkTarget(t: ClickHouseTarget): ClickHouseTarget {
  if (!IDENT.test(t.database)) throw new Error(`invalid ClickHouse database name "${t.database}": letters, digits and _ only`);
  if (t.cluster !== null && !IDENT.test(t.cluster)) throw new Error(`invalid ClickHouse cluster name "${t.cluster}": letters, digits and _ only`);
  return t;
}


/** Created before anything else: it records which versions ran. */
export function bookkeepingStatements(t: ClickHouseTarget): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS \`${t.database}\`${onCluster(t)}`,
    `CREATE TABLE IF NOT EXISTS \`${t.database}\`.schema_migrations${onCluster(t)} (
      version UInt32,
      applied_at Int64
    ) ENGINE = ${replacing(t, 'schema_migrations')} ORDER BY version`,
  ];
}

const LOW = 'LowCardinality(Nullable(String))';

/** Promoted columns read as their property (all but hostname), as of migration 2. */
const COLUMN_BACKED_V2 = ['path', 'url', 'referrer', 'title', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
  'browser', 'browser_version', 'os', 'device', 'language', 'screen'];

export const CLICKHOUSE_MIGRATIONS: ClickHouseMigration[] = [
  {
    version: 1,
    // Same columns and semantics as the DuckDB table (ts/received_at epoch ms, date = UTC date of ts),
    // plus the engine-internal `_version`. Order key: project + time scans first, `id` last for dedup.
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS \`${t.database}\`.events${onCluster(t)} (
        id String,
        project_id String,
        ts Int64,
        date Date,
        received_at Int64,
        event LowCardinality(String),
        user_id Nullable(String),
        session_id Nullable(String),
        path Nullable(String),
        url Nullable(String),
        hostname ${LOW},
        referrer Nullable(String),
        referrer_domain ${LOW},
        title Nullable(String),
        utm_source ${LOW},
        utm_medium ${LOW},
        utm_campaign Nullable(String),
        utm_content Nullable(String),
        utm_term Nullable(String),
        browser ${LOW},
        browser_version ${LOW},
        os ${LOW},
        device ${LOW},
        country ${LOW},
        language ${LOW},
        screen ${LOW},
        properties Nullable(String) CODEC(ZSTD(3)),
        _version UInt64 DEFAULT 0,
        INDEX events_user_id user_id TYPE bloom_filter GRANULARITY 4
      ) ENGINE = ${replacing(t, 'events', '_version')}
      PARTITION BY toYYYYMM(date)
      PRIMARY KEY (project_id, date, event)
      ORDER BY (project_id, date, event, id)`,
    ],
  },
  {
    version: 2,
    // The empty string is a value (a direct visit is `referrer: ""`): ingestion used to store it as NULL in the
    // promoted columns. Copy it back from the properties JSON (a mutation; idempotent by its WHERE).
    statements: (t) => [
      `ALTER TABLE \`${t.database}\`.events${onCluster(t)} UPDATE ${COLUMN_BACKED_V2.map((c) =>
        `${c} = if(isNull(${c}) AND JSONType(properties, '${c}') = 'String' AND JSONExtractString(properties, '${c}') = '', '', ${c})`).join(', ')}
        WHERE properties LIKE '%""%'`,
    ],
  },
  {
    version: 3,
    // Rollups maintained at insert time (rollups.ts) so reads run without FINAL: insert deduplication on
    // events, the rollup tables and their materialized views, then existing rows merged (FINAL once, so no
    // superseded identify version or retried copy stays visible) and the rollups backfilled from them.
    // Every step can be re-run (the sessions rollup, whose event count is a sum, is emptied before its backfill).
    statements: (t) => [
      ...(t.cluster ? [] : [`ALTER TABLE \`${t.database}\`.events MODIFY SETTING non_replicated_deduplication_window = 1000`]),
      ...rollupStatements(t),
      `OPTIMIZE TABLE \`${t.database}\`.events${onCluster(t)} FINAL`,
      ...backfillStatements(t),
    ],
  },
];
