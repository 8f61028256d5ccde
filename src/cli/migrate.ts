// `migrate [--cluster <name>]`: create or upgrade both schemas (meta and events) before replicas start,
// so a deployment migrates once, from one place, and the ClickHouse DDL can run ON CLUSTER.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { isClickHouseUrl } from '../store/clickhouse/connect.js';
import { openEventStore, openMetaStore } from '../stores.js';

const USAGE = `Usage: agent-analytics migrate [--cluster <name>]

Creates or upgrades the schemas of AA_META_URL (SQLite or PostgreSQL) and AA_EVENTS_URL (DuckDB or
ClickHouse). Safe to run again. --cluster <name> runs the ClickHouse DDL ON CLUSTER <name> with
Replicated tables (the same as ?cluster=<name> in AA_EVENTS_URL).
`;

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/** Where the command writes (the process's streams; tests pass their own). */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
const PROCESS_IO: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** `env` defaults to the process environment, read by loadConfig (the only reader of process.env). */
export async function migrateCommand(argv: string[], io: Io = PROCESS_IO, env?: Record<string, string | undefined>): Promise<number> {
  let values: { cluster?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { cluster: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    io.err(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`configuration error: ${err.message}\n`);
    return 78;
  }
  if (values.cluster !== undefined && !isClickHouseUrl(config.eventsUrl)) {
    io.err(`error: --cluster needs a ClickHouse AA_EVENTS_URL (clickhouse://…), got ${redact(config.eventsUrl)}\n`);
    return 64;
  }
  try {
    const meta = await openMetaStore(config); // migrates on open
    await meta.close();
    io.out(`meta schema up to date (${meta.engine}: ${redact(config.metaUrl)})\n`);
    const events = await openEventStore(config, values.cluster !== undefined ? { cluster: values.cluster } : {});
    try {
      await events.migrate();
    } finally {
      await events.close();
    }
    const where = values.cluster ? ` ON CLUSTER ${values.cluster}` : '';
    io.out(`events schema up to date (${events.engine}${where}: ${redact(config.eventsUrl)})\n`);
  } catch (err) {
    io.err(`migration failed: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}
