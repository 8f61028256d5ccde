// `login` / `logout`: verify a server URL and API key with GET /account, then save them (0600) for later commands.
import { rmSync } from 'node:fs';
import { AnalyticsClient } from '../../client/client.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { configFile, writeLogin } from '../config-file.js';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Save the server URL and API key (checked against the server) in the config file',
  usage: 'agent-analytics login --url https://analytics.example.com --key aak_…',
  async run(ctx) {
    const { url, apiKey, configDir } = ctx.settings;
    if (!apiKey) throw new UsageError('--key is required (the account API key, aak_…; an operator prints one with `agent-analytics accounts create`)');
    const account = await new AnalyticsClient({ baseUrl: url, apiKey }).account();
    const file = writeLogin(configDir, { url, api_key: apiKey });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, url, config_file: file, account }, null, 2));
    else ctx.out(`Logged in to ${url} as ${account.email} (${account.tier}).\nSaved to ${file} (mode 0600). AA_URL / AA_API_KEY still override it.`);
    return 0;
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget the saved URL and API key',
  usage: 'agent-analytics logout',
  async run(ctx) {
    const file = configFile(ctx.settings.configDir);
    rmSync(file, { force: true });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, removed: file }));
    else ctx.out(`Removed ${file}.`);
    return 0;
  },
};
