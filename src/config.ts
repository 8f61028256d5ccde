// One validated, frozen Config built from the environment: the only reader of process.env.
import { resolve } from 'node:path';
import type { Tier, TierLimits } from './store/ports.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | null;
  /**
   * Extra host names POST /mcp accepts in Host and Origin besides loopback names and the host of publicUrl
   * (DNS-rebinding protection): exact names, `*.example.com` for subdomains, or `*` for any. Lowercase, no ports.
   */
  mcpAllowedHosts: string[];
  bootstrapApiKey: string | null;
  adminToken: string | null;
  logLevel: string;
  /** Event store: `duckdb:<path>` (default `<dataDir>/events.duckdb`) or `clickhouse://…`. */
  eventsUrl: string;
  /** Meta store: sqlite path (default `<dataDir>/meta.sqlite`) or `postgres://…`. */
  metaUrl: string;
  /** Redis for shared counters and live fan-out; null = in-process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (several deployments can share one Redis). */
  redisPrefix: string;
  tiers: Record<Tier, TierLimits>;
  /** Limits of the owner account created at first start (P3/Q16: unlimited pro). */
  ownerTier: Tier;
  ownerLimits: TierLimits;
  /** Header carrying the visitor country from a trusted edge proxy; null = ignore such headers. */
  countryHeader: string | null;
  ingest: {
    /** How long the group-commit writer gathers a batch (ms). */
    flushMs: number;
    /** Rows per insert at most. */
    maxBatch: number;
    /** Events waiting for a commit at most before 503 backpressure. */
    maxQueue: number;
    /** The ingest journal (embedded event store only; docs/ingestion.md#durability-the-ingest-journal). */
    journal: {
      dir: string;
      /** Acknowledged but not yet folded journal bytes at most; past it, 503. */
      maxBytes: number;
      /** A segment file is closed and a new one started past this size. */
      segmentBytes: number;
      /** The folder moves journalled events into the store at least this often (ms)... */
      foldMs: number;
      /** ...or at once when this many wait; also the most events per fold transaction. */
      foldMaxEvents: number;
    };
  };
  live: {
    bufferSeconds: number; bufferEvents: number; heartbeatMs: number; idleCloseMs: number; maxStreams: number;
    /** Bytes an SSE connection may have waiting to be sent before it is dropped as a slow consumer. */
    maxQueueBytes: number;
  };
  /** Interval of the retention purge job (ms); 0 disables it. */
  purgeIntervalMs: number;
  /** Embedded store: how long writes must pause before events that arrived out of time order are re-clustered by date (ms); 0 disables it. */
  layoutMs: number;
  /** Embedded store: DuckDB's memory limit (AA_DUCKDB_MEMORY_LIMIT, e.g. `1GB`); beyond it DuckDB evicts cached blocks and spills to disk. */
  duckdbMemoryLimit: string;
  /** How often bot-traffic counts are written to the meta store (ms); 0 = only when the app closes. */
  botFlushMs: number;
  /** Lifetime of a dashboard sign-in (seconds, AA_DASHBOARD_SESSION_TTL); it does not slide. */
  dashboardSessionTtlSec: number;
  /** Agent sessions (issue 16): access-token lifetime in minutes (AA_AGENT_ACCESS_TTL_MIN), refresh-token lifetime in days (AA_AGENT_REFRESH_TTL_DAYS), approval-request lifetime in minutes (AA_AGENT_REQUEST_TTL_MIN). */
  agentSessions: { accessTtlMin: number; refreshTtlDays: number; requestTtlMin: number };
}

export class ConfigError extends Error {}

const UNLIMITED: TierLimits = {
  max_projects: -1, max_events_lifetime: -1, max_events_per_month: -1,
  max_reads_per_month: -1, retention_days: -1, rate_limit_rpm: -1,
};

const TIER_DEFAULTS: Record<Tier, TierLimits> = {
  free: { max_projects: 2, max_events_lifetime: 1000, max_events_per_month: 100_000, max_reads_per_month: 500, retention_days: 90, rate_limit_rpm: 10 },
  pro: { max_projects: -1, max_events_lifetime: -1, max_events_per_month: -1, max_reads_per_month: -1, retention_days: 365, rate_limit_rpm: 1000 },
};

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = -1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/**
 * A memory size for DuckDB (`512MB`, `1.5GB`, `2GiB`). Default 1 GB: DuckDB's own default is 80 % of the machine's RAM,
 * and caching freely it took the server to 2.7 GB while loading 4 M events (docs/performance.md).
 */
function memorySize(env: Env, name: string, fallback: string): string {
  const value = str(env, name) ?? fallback;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) throw new ConfigError(`${name} must be a size such as 512MB or 2GB`);
  return value;
}

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** Tier preset overrides: AA_TIER_FREE_RATE_LIMIT_RPM=20, AA_TIER_PRO_RETENTION_DAYS=730, … */
function tierLimits(env: Env, tier: string, base: TierLimits): TierLimits {
  const out = { ...base };
  for (const key of Object.keys(base) as (keyof TierLimits)[]) {
    out[key] = int(env, `AA_TIER_${tier.toUpperCase()}_${key.toUpperCase()}`, base[key]);
  }
  return out;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(str(env, 'AA_DATA_DIR') ?? './data');
  const bootstrapApiKey = str(env, 'AA_BOOTSTRAP_API_KEY');
  if (bootstrapApiKey !== null && !/^aak_[0-9a-f]{48}$/.test(bootstrapApiKey)) {
    throw new ConfigError('AA_BOOTSTRAP_API_KEY must be "aak_" followed by 48 lowercase hex characters (generate one with: node -e "console.log(\'aak_\'+require(\'crypto\').randomBytes(24).toString(\'hex\'))")');
  }
  const ownerTier = (str(env, 'AA_OWNER_TIER') ?? 'pro') as Tier;
  if (ownerTier !== 'free' && ownerTier !== 'pro') throw new ConfigError('AA_OWNER_TIER must be "free" or "pro"');
  const publicUrl = str(env, 'AA_PUBLIC_URL');
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new ConfigError('AA_PUBLIC_URL must be an absolute http(s) URL, e.g. https://analytics.example.com');
  const countryHeader = str(env, 'AA_TRUST_COUNTRY_HEADER');
  const logLevel = str(env, 'AA_LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('AA_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  const config: Config = {
    port: int(env, 'PORT', 8787, 0),
    host: str(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    mcpAllowedHosts: hostList(env, 'AA_MCP_ALLOWED_HOSTS'),
    bootstrapApiKey,
    adminToken: str(env, 'AA_ADMIN_TOKEN'),
    logLevel,
    eventsUrl: storeUrl(env, 'AA_EVENTS_URL', /^(duckdb:|clickhouses?:\/\/|chdb:)/, 'duckdb:<path> or clickhouse://user:pass@host:8123/database')
      ?? `duckdb:${resolve(dataDir, 'events.duckdb')}`,
    metaUrl: str(env, 'AA_META_URL') ?? resolve(dataDir, 'meta.sqlite'),
    redisUrl: storeUrl(env, 'AA_REDIS_URL', /^rediss?:\/\//, 'redis://host:6379 (or rediss:// for TLS)'),
    redisPrefix: str(env, 'AA_REDIS_PREFIX') ?? 'aa:',
    tiers: { free: tierLimits(env, 'free', TIER_DEFAULTS.free), pro: tierLimits(env, 'pro', TIER_DEFAULTS.pro) },
    ownerTier,
    ownerLimits: tierLimits(env, 'owner', UNLIMITED),
    countryHeader: countryHeader?.toLowerCase() ?? null,
    ingest: {
      flushMs: int(env, 'AA_INGEST_FLUSH_MS', 1, 0), // batches also grow while a commit is in flight (docs/ingestion.md)
      maxBatch: int(env, 'AA_INGEST_MAX_BATCH', 5000, 1),
      maxQueue: int(env, 'AA_INGEST_MAX_QUEUE', 50_000, 1),
      journal: {
        dir: resolve(str(env, 'AA_JOURNAL_DIR') ?? resolve(dataDir, 'journal')),
        maxBytes: int(env, 'AA_JOURNAL_MAX_BYTES', 128 * 1048576, 1),
        segmentBytes: int(env, 'AA_JOURNAL_SEGMENT_BYTES', 64 * 1048576, 4096),
        foldMs: int(env, 'AA_FOLD_MS', 100, 1),
        foldMaxEvents: int(env, 'AA_FOLD_MAX_EVENTS', 20_000, 1),
      },
    },
    live: {
      bufferSeconds: int(env, 'AA_LIVE_BUFFER_SECONDS', 300, 1),
      bufferEvents: int(env, 'AA_LIVE_BUFFER_EVENTS', 10_000, 1),
      heartbeatMs: int(env, 'AA_STREAM_HEARTBEAT_MS', 30_000, 10),
      idleCloseMs: int(env, 'AA_STREAM_IDLE_MS', 30 * 60_000, 10),
      maxStreams: int(env, 'AA_MAX_STREAMS', 10, 1),
      maxQueueBytes: int(env, 'AA_STREAM_MAX_QUEUE_BYTES', 1_048_576, 1024),
    },
    purgeIntervalMs: int(env, 'AA_PURGE_INTERVAL_MS', 3_600_000, 0),
    layoutMs: int(env, 'AA_LAYOUT_MS', 5000, 0),
    duckdbMemoryLimit: memorySize(env, 'AA_DUCKDB_MEMORY_LIMIT', '1GB'),
    botFlushMs: int(env, 'AA_BOT_FLUSH_MS', 5000, 0),
    dashboardSessionTtlSec: int(env, 'AA_DASHBOARD_SESSION_TTL', 7 * 86_400, 1),
    agentSessions: {
      accessTtlMin: int(env, 'AA_AGENT_ACCESS_TTL_MIN', 60, 1),
      refreshTtlDays: int(env, 'AA_AGENT_REFRESH_TTL_DAYS', 30, 1),
      requestTtlMin: int(env, 'AA_AGENT_REQUEST_TTL_MIN', 30, 1),
    },
  };
  return deepFreeze(config);
}

/** A comma-separated list of host names (a URL or host:port is reduced to its name), lowercased. */
function hostList(env: Env, name: string): string[] {
  const raw = str(env, name);
  if (raw === null) return [];
  return raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).map((entry) => {
    const host = entry.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/.*$/, '').replace(/:\d+$/, '');
    if (host === '*' || /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) || /^\[[0-9a-f:.]+\]$/.test(host)) return host;
    throw new ConfigError(`${name} entries must be host names such as analytics.example.com, *.example.com or *, got "${entry}"`);
  });
}

/** A store URL: absent (null) or matching its scheme, else a ConfigError saying what is expected. */
function storeUrl(env: Env, name: string, scheme: RegExp, expected: string): string | null {
  const v = str(env, name);
  if (v !== null && !scheme.test(v)) throw new ConfigError(`${name} must look like ${expected}, got "${v.replace(/\/\/[^@/]*@/, '//***@')}"`);
  return v;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Effective limits of an account: its tier preset (or the owner preset), then per-account overrides. */
export function limitsFor(config: Config, tier: Tier, override: Partial<TierLimits> | null): TierLimits {
  return { ...config.tiers[tier], ...(override ?? {}) };
}

/** What the CLI and the stdio MCP server read from the environment (they talk to a server over HTTP). */
export interface ClientEnv {
  /** AA_URL: server base URL, overrides the config file. */
  url: string | null;
  /** AA_API_KEY: API key, overrides the config file. */
  apiKey: string | null;
  /** Folder of the CLI config file: $XDG_CONFIG_HOME/agent-analytics, else ~/.config/agent-analytics. */
  configDir: string;
}

export function loadClientEnv(env: Env = process.env): ClientEnv {
  const base = str(env, 'XDG_CONFIG_HOME') ?? resolve(str(env, 'HOME') ?? str(env, 'USERPROFILE') ?? '.', '.config');
  return { url: str(env, 'AA_URL'), apiKey: str(env, 'AA_API_KEY'), configDir: resolve(base, 'agent-analytics') };
}
