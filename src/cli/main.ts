// CLI entry: `agent-analytics <command>`. Commands are small modules; this file only dispatches.
import { accountsCommand } from './accounts.js';

const HELP = `agent-analytics — self-hosted, agent-first web analytics

Usage:
  agent-analytics serve                               start the server (env: PORT, AA_DATA_DIR, …)
  agent-analytics accounts create --email E [--tier free|pro]   create an account, print its API key once
  agent-analytics accounts list                        list accounts
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { runServe } = await import('../main.js');
      await runServe();
      return 0;
    }
    case 'accounts':
      return accountsCommand(rest);
    case 'migrate':
      return (await import('./migrate.js')).migrateCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
      return 64;
  }
}
