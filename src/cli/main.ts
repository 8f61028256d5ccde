// CLI entry: `agent-analytics <command>`. Commands are small modules; this file only dispatches and maps failures to exit codes.
import { ClientError } from '../client/client.js';
import { type Command, parseCommandArgs, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { createContext } from './context.js';
import { EXIT, exitCodeFor, hintFor } from './exit-codes.js';

/** The command column fits the longest name (portfolio-context). */
const NAME_WIDTH = Math.max(12, ...COMMANDS.map((c) => c.name.length));

const HELP = `agent-analytics — self-hosted, agent-first web analytics

Server (operators):
  agent-analytics serve                                         start the server (env: PORT, AA_DATA_DIR, …)
  agent-analytics accounts create --email E [--tier free|pro]   create an account, print its API key once
  agent-analytics accounts list                                 list accounts
  agent-analytics restore <backup-dir>                          restore a backup into an empty AA_DATA_DIR (server stopped)

Client (talks to a server over HTTP):
${COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)} ${c.summary}`).join('\n')}

Global options: --url <server> --key <aak_…> --json (machine-readable output) --help
Credentials: --url/--key, else AA_URL/AA_API_KEY, else the file written by \`login\`.
\`agent-analytics <command> --help\` shows a command's options. Exit codes: 0 ok, 1 server error, 3 auth,
4 not found, 5 forbidden, 6 rate limited, 7 conflict, 8 rejected input, 64 usage, 69 unreachable, 78 not configured.
`;

async function runCommand(command: Command, argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { positionals, values } = parseCommandArgs(command, argv);
    json = values.json === true;
    if (values.help === true) {
      process.stdout.write(`${command.summary}\n\nUsage:\n${command.usage.replace(/^/gm, '  ')}\n`);
      return EXIT.OK;
    }
    const ctx = createContext({ url: values.url as string | undefined, key: values.key as string | undefined, json });
    return await command.run(ctx, positionals, values);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\nUsage:\n${command.usage.replace(/^/gm, '  ')}\n`);
      return EXIT.USAGE;
    }
    if (err instanceof ClientError) {
      const hint = hintFor(err);
      // --json callers always get one JSON document on stdout; the exit code says it is an error.
      if (json) process.stdout.write(`${JSON.stringify(err.toJSON(), null, 2)}\n`);
      process.stderr.write(`error: ${err.message}${err.status ? ` [${err.status} ${err.code}]` : ` [${err.code}]`}\n${hint ? `hint: ${hint}\n` : ''}`);
      return exitCodeFor(err);
    }
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  switch (name) {
    case 'serve': {
      const { runServe } = await import('../main.js');
      await runServe();
      return EXIT.OK;
    }
    case 'accounts': {
      // Lazy: it opens the meta store, whose drivers the HTTP-client commands never need.
      const { accountsCommand } = await import('./accounts.js');
      return accountsCommand(rest);
    }
    case 'migrate':
      return (await import('./migrate.js')).migrateCommand(rest);
    case 'restore':
      return (await import('./restore.js')).restoreCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${HELP}`);
    return EXIT.USAGE;
  }
  return runCommand(command, rest);
}
