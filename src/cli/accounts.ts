// `accounts create|list`: operator commands that open the meta store of AA_DATA_DIR / AA_META_URL directly.
import { parseArgs } from 'node:util';
import { accountView, createAccount } from '../accounts/accounts.js';
import { loadConfig } from '../config.js';
import { openMetaStore } from '../stores.js';

export async function accountsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, tier: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  const config = loadConfig();
  const meta = await openMetaStore(config);
  try {
    if (sub === 'create') {
      if (!values.email) {
        process.stderr.write('accounts create needs --email, e.g. agent-analytics accounts create --email dev@example.com --tier free\n');
        return 64;
      }
      const tier = values.tier ?? 'free';
      if (tier !== 'free' && tier !== 'pro') {
        process.stderr.write('--tier must be "free" or "pro"\n');
        return 64;
      }
      const { account, apiKey } = await createAccount(meta, { email: values.email, tier });
      if (values.json) process.stdout.write(`${JSON.stringify({ account: await accountView(config, meta, account), api_key: apiKey })}\n`);
      else process.stdout.write(`Created account ${account.id} (${account.email}, ${tier}).\nAPI key (shown only once): ${apiKey}\n`);
      return 0;
    }
    if (sub === 'list') {
      const accounts = await meta.listAccounts();
      if (values.json) process.stdout.write(`${JSON.stringify({ accounts })}\n`);
      else for (const a of accounts) process.stdout.write(`${a.id}  ${a.tier.padEnd(4)}  ${a.email}  ${a.created_at}\n`);
      return 0;
    }
    process.stderr.write('usage: agent-analytics accounts create --email E [--tier free|pro] | accounts list\n');
    return 64;
  } finally {
    await meta.close();
  }
}
