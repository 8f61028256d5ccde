// The cluster suites need this machine's PostgreSQL and Redis: probe them once, skip loudly when
// they are down (fail instead under CI=true), and hand out throwaway schemas / key prefixes.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const PG_URL = process.env.AA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.AA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function pgAnswers(): Promise<string | null> {
  // A stopped service refuses at once; the generous timeout only absorbs a machine busy with other tests.
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL at ${PG_URL} did not answer (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisAnswers(): Promise<string | null> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 10_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (err) {
    return `Redis at ${REDIS_URL} did not answer (${(err as Error).message})`;
  } finally {
    r.disconnect();
  }
}

/**
 * `false` when every named service answers, else the skip reason (printed as a loud banner).
 * Under CI=true a missing service is an error: CI promises the services are up (.ci/run).
 */
export async function servicesOrSkip(...needs: ('postgres' | 'redis')[]): Promise<false | string> {
  const problems = (await Promise.all(needs.map((n) => (n === 'postgres' ? pgAnswers() : redisAnswers())))).filter((p): p is string => p !== null);
  if (problems.length === 0) return false;
  const reason = `${problems.join('; ')} — start it (see .ci/run) to run the cluster suites`;
  if (process.env.CI === 'true') throw new Error(`CI=true and a cluster service is missing: ${reason}`);
  process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIPPING CLUSTER TESTS: ${reason}\n${'!'.repeat(78)}\n\n`);
  return reason;
}

/** A fresh PostgreSQL schema for one test run; `drop()` removes it with everything inside. */
export async function freshPgSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `aa_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A key prefix no other test run shares, so parallel runs on one Redis never see each other. */
export const redisPrefix = (): string => `aa_test_${randomBytes(6).toString('hex')}:`;

/** Run `fn` on a bare connection (checking key state directly, cleanup). */
export async function withRedis<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(REDIS_URL);
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** Delete every key a test run created under its prefix. */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  await withRedis(async (r) => {
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
  });
}

/**
 * The environment of replicas sharing one cluster: a fresh PostgreSQL schema, a fresh Redis prefix and one
 * in-process ClickHouse database named after `tag`. `drop()` removes what the run created.
 */
export async function sharedClusterEnv(tag: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const pg = await freshPgSchema();
  const prefix = redisPrefix();
  return {
    env: { AA_EVENTS_URL: `chdb::memory:?database=aa_${tag}_${randomBytes(4).toString('hex')}`, AA_META_URL: pg.url, AA_REDIS_URL: REDIS_URL, AA_REDIS_PREFIX: prefix },
    async drop() {
      await pg.drop();
      await dropRedisPrefix(prefix);
    },
  };
}
