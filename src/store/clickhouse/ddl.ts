// DDL text shared by the ClickHouse migrations and rollups: the target database/cluster and table engines.

export interface ClickHouseTarget {
  database: string;
  /** With a cluster name every DDL runs ON CLUSTER and tables use the Replicated engines. */
  cluster: string | null;
}

export const onCluster = (t: ClickHouseTarget): string => (t.cluster ? ` ON CLUSTER \`${t.cluster}\`` : '');

/**
 * A MergeTree-family engine (`Replacing`, `Aggregating`) for `table`; `version` is ReplacingMergeTree's
 * version column. Clustered: one shard of N replicas; `{shard}`/`{replica}` are the server's standard macros.
 */
export function mergeTree(t: ClickHouseTarget, kind: 'Replacing' | 'Aggregating', table: string, version?: string): string {
  const v = version ? `, ${version}` : '';
  if (!t.cluster) return `${kind}MergeTree(${version ?? ''})`;
  return `Replicated${kind}MergeTree('/clickhouse/tables/{shard}/${t.database}/${table}', '{replica}'${v})`;
}

/** ReplacingMergeTree keyed on the row's sorting key: copies collapse, the highest `version` wins. */
export const replacing = (t: ClickHouseTarget, table: string, version?: string) => mergeTree(t, 'Replacing', table, version);

/**
 * Table settings of every events and rollup table: a non-replicated table remembers the last 1,000 inserted
 * blocks (by insert_deduplication_token), as replicated tables do by default, so a retried batch is
 * dropped whole — in `events` and in every table its materialized views feed.
 */
export const dedupSettings = (t: ClickHouseTarget): string => (t.cluster ? '' : ' SETTINGS non_replicated_deduplication_window = 1000');

