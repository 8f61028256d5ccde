// Turns AA_EVENTS_URL into a ClickHouse client: `clickhouse[s]://user:pass@host:port/db?cluster=name`
// for a server, or `chdb:<dir>` for the ClickHouse engine in-process (tests, benchmarks, trials).
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { ClickHouseEventStore } from './event-store.js';
import { checkTarget } from './migrations.js';

export interface ClickHouseLocation {
  database: string;
  cluster: string | null;
  /** Non-null for chdb: the data directory (`:memory:` for a throwaway engine). */
  chdbPath: string | null;
}

export const isClickHouseUrl = (url: string): boolean => /^(clickhouses?:\/\/|chdb:)/.test(url);

/** Parse without connecting; throws with a fix-it message on a malformed URL. */
export function parseClickHouseUrl(url: string): ClickHouseLocation & { httpUrl: string | null; username: string; password: string } {
  if (url.startsWith('chdb:')) {
    const [path, query = ''] = url.slice('chdb:'.length).split('?');
    const q = new URLSearchParams(query);
    const loc = { database: q.get('database') ?? 'analytics', cluster: null, chdbPath: path || ':memory:' };
    checkTarget(loc);
    return { ...loc, httpUrl: null, username: 'default', password: '' };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`AA_EVENTS_URL "${url}" is not a URL; expected clickhouse://user:pass@host:8123/database`);
  }
  const secure = u.protocol === 'clickhouses:';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'default';
  const loc = { database, cluster: u.searchParams.get('cluster'), chdbPath: null };
  checkTarget(loc);
  return {
    ...loc,
    httpUrl: `${secure ? 'https' : 'http'}://${u.hostname}:${u.port || (secure ? '8443' : '8123')}`,
    username: decodeURIComponent(u.username) || 'default',
    password: decodeURIComponent(u.password),
  };
}

/**
 * An in-process ClickHouse (chdb, a devDependency) as @clickhouse/client's connection, bound to
 * `database` (created if needed). One engine per process: connections on one path share it.
 */
export async function openChdbClient(path: string, database: string): Promise<ClickHouseClient> {
  let mod: typeof import('chdb/connection');
  try {
    mod = await import('chdb/connection');
  } catch {
    throw new Error('AA_EVENTS_URL=chdb:… needs the optional "chdb" package: npm install chdb');
  }
  // chdb ships its own copy of the Connection types; the runtime contract is @clickhouse/client's.
  const client = createClient({ connection: mod.createChdbConnection({ path }) as never });
  checkTarget({ database, cluster: null });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${database}\`` });
  // chdb has no per-request database; USE binds this connection's session to it.
  await client.command({ query: `USE \`${database}\`` });
  return client;
}

/** The ClickHouse EventStore for AA_EVENTS_URL (not yet migrated). */
export async function openClickHouseEventStore(url: string, opts: { cluster?: string | null } = {}): Promise<ClickHouseEventStore> {
  const loc = parseClickHouseUrl(url);
  const cluster = opts.cluster !== undefined ? opts.cluster : loc.cluster;
  if (loc.chdbPath !== null) {
    return new ClickHouseEventStore(await openChdbClient(loc.chdbPath, loc.database), { database: loc.database, cluster });
  }
  const http = (database?: string) => createClient({
    url: loc.httpUrl!,
    username: loc.username,
    password: loc.password,
    ...(database ? { database } : {}),
    application: 'agent-analytics',
    request_timeout: 60_000,
    // Long IN-lists of bound values go in a multipart body instead of an over-long URL.
    use_multipart_params_auto: true,
  });
  // The server refuses requests naming a database that does not exist yet, so create it first.
  const bootstrap = http();
  try {
    const on = cluster ? ` ON CLUSTER \`${cluster}\`` : '';
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS \`${loc.database}\`${on}` });
  } finally {
    await bootstrap.close();
  }
  return new ClickHouseEventStore(http(loc.database), { database: loc.database, cluster });
}
