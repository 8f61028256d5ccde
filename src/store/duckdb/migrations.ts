// Versioned DuckDB schema. Append new versions; never edit an applied one.
import { LAYOUT_SCHEMA } from './layout.js';
import { KEY_SCHEMA, PROPERTY_LAST_SCHEMA, PROPERTY_VALUES_SCHEMA, REFOLD_ALL, ROLLUP_SCHEMA, UNINDEXED_SCHEMA, USERS_SCHEMA } from './rollups.js';

/** Promoted columns read as their property (all but hostname), as of migration 5. */
const COLUMN_BACKED_V5 = ['path', 'url', 'referrer', 'title', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
  'browser', 'browser_version', 'os', 'device', 'language', 'screen'];

export interface Migration {
  version: number;
  statements: string[];
}

export const DUCKDB_MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS events (
        id VARCHAR NOT NULL,
        project_id VARCHAR NOT NULL,
        ts BIGINT NOT NULL,
        date DATE NOT NULL,
        received_at BIGINT NOT NULL,
        event VARCHAR NOT NULL,
        user_id VARCHAR,
        session_id VARCHAR,
        path VARCHAR,
        url VARCHAR,
        hostname VARCHAR,
        referrer VARCHAR,
        referrer_domain VARCHAR,
        title VARCHAR,
        utm_source VARCHAR,
        utm_medium VARCHAR,
        utm_campaign VARCHAR,
        utm_content VARCHAR,
        utm_term VARCHAR,
        browser VARCHAR,
        browser_version VARCHAR,
        os VARCHAR,
        device VARCHAR,
        country VARCHAR,
        language VARCHAR,
        screen VARCHAR,
        properties VARCHAR
      )`,
    ],
  },
  {
    // Read-side rollups (rollups.ts): event sequence numbers, 64-bit user/session keys, per-session and
    // distinct-user tables. Existing events are folded in by the first read.
    version: 2,
    statements: ROLLUP_SCHEMA,
  },
  {
    // 64-bit user/session keys on events, written by the insert (rollups.ts keyOf).
    version: 3,
    statements: KEY_SCHEMA,
  },
  {
    // Per-user last date (rollups.ts); every rollup is refolded by the next read.
    version: 4,
    statements: USERS_SCHEMA,
  },
  {
    // The empty string is a value (a direct visit is `referrer: ""`): ingestion used to store it as NULL in
    // the promoted columns. Copy it back from the properties JSON, then refold (entry/exit pages read path).
    version: 5,
    statements: [
      `UPDATE events SET ${COLUMN_BACKED_V5.map((c) => `${c} = CASE WHEN ${c} IS NULL AND json_type(properties, '$.${c}') = 'VARCHAR' AND json_extract_string(properties, '$.${c}') = '' THEN '' ELSE ${c} END`).join(', ')}
        WHERE properties LIKE '%""%'`,
      ...REFOLD_ALL,
    ],
  },
  {
    // The ingest journal's folded position (docs/ingestion.md#durability-the-ingest-journal), written in the same
    // transaction as the events it covers: one row.
    version: 6,
    statements: ['CREATE TABLE IF NOT EXISTS ingest_journal (id INTEGER PRIMARY KEY, segment BIGINT NOT NULL, "offset" BIGINT NOT NULL)'],
  },
  {
    // The layout mark (layout.ts): events written before it are checked once, and re-clustered by date when
    // they arrived out of time order, by the first layout step after the upgrade.
    version: 7,
    statements: LAYOUT_SCHEMA,
  },
  {
    // The property-values rollup (rollups.ts): a /breakdown of a JSON key reads it instead of every event's JSON;
    // built here from the events already folded into the other rollups.
    version: 8,
    statements: PROPERTY_VALUES_SCHEMA,
  },
  {
    // The rollups without primary keys (rollups.ts mergeRows): upserts into their indexes made the fold the limit of
    // loading through HTTP at millions of events; session rows gain the session's 64-bit key.
    version: 9,
    statements: UNINDEXED_SCHEMA,
  },
  {
    // Users per property value with their last date (rollups.ts): a JSON-key /breakdown over an open-ended window
    // counts rows instead of distinct users over every date of the window.
    version: 10,
    statements: PROPERTY_LAST_SCHEMA,
  },
];
