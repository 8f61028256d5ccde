// `restore <dir>`: copy a backup into the configured data folder (AA_DATA_DIR), which must hold no store files,
// and check it against the backup's manifest. Run with the server stopped; start it on the folder afterwards.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { restoreFrom, RestoreError } from '../portability/backup.js';
import type { Io } from './migrate.js';

const USAGE = `Usage: agent-analytics restore <backup-dir> [--json]

Copies the backup (events.duckdb, meta.sqlite) into AA_DATA_DIR, which must not hold store files yet, and
checks the counts against the backup's manifest.json. Then start the server: agent-analytics serve.
`;

const PROCESS_IO: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function restoreCommand(argv: string[], io: Io = PROCESS_IO, env?: Record<string, string | undefined>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (err) {
    io.err(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const [dir] = parsed.positionals;
  if (!dir) {
    io.err(`error: the backup folder is required\n\n${USAGE}`);
    return 64;
  }
  try {
    const config = loadConfig(env);
    const manifest = await restoreFrom(resolve(dir), config);
    io.out(parsed.values.json ? `${JSON.stringify({ restored: manifest, data_dir: config.dataDir }, null, 2)}\n`
      : `restored ${manifest.events} events and the meta store from ${resolve(dir)} (taken ${manifest.created_at}) into ${config.dataDir}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`configuration error: ${err.message}\n`);
      return 78;
    }
    if (err instanceof RestoreError) {
      io.err(`error: ${err.message}\n`);
      return 8;
    }
    throw err;
  }
}
