// `login` / `logout`. Two ways in: `--key aak_…` checks a pasted key with GET /account and saves it; without a
// key, the browser approval flow (agent sessions): print the approval URL, poll until a person approves or
// denies, exchange the code for scoped tokens and save them (refreshed automatically on later runs).
import { rmSync } from 'node:fs';
import { SCOPES } from '../../accounts/scopes.js';
import { AnalyticsClient, ClientError } from '../../client/client.js';
import type { Command } from '../command.js';
import { opt, UsageError } from '../command.js';
import { configFile, readLogin, writeLogin } from '../config-file.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const loginCommand: Command = {
  name: 'login',
  summary: 'Sign in: approve this CLI in the browser (scoped, revocable), or save a pasted API key',
  usage: [
    'agent-analytics login --url https://analytics.example.com                      (prints an approval URL, waits)',
    'agent-analytics login --url https://analytics.example.com --scopes analytics:read,projects:read',
    'agent-analytics login --url https://analytics.example.com --key aak_…',
    `scopes: ${SCOPES.join(', ')} (default: all)`,
  ].join('\n'),
  options: { scopes: { type: 'string' } },
  async run(ctx, _positionals, values) {
    const { url, apiKey, configDir, keySource } = ctx.settings;
    // A key given on this command line (or AA_API_KEY) is the paste path; a saved one is replaced by a new login.
    if (apiKey && keySource !== 'config file') {
      const account = await new AnalyticsClient({ baseUrl: url, apiKey }).account();
      const file = writeLogin(configDir, { url, api_key: apiKey });
      if (ctx.json) ctx.out(JSON.stringify({ ok: true, url, config_file: file, account }, null, 2));
      else ctx.out(`Logged in to ${url} as ${account.email} (${account.tier}).\nSaved to ${file} (mode 0600). AA_URL / AA_API_KEY still override it.`);
      return 0;
    }
    const scopes = opt.list(values, 'scopes');
    const unknown = scopes?.find((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown) throw new UsageError(`unknown scope "${unknown}"; use any of ${SCOPES.join(', ')}`);
    const client = new AnalyticsClient({ baseUrl: url });
    const started = await client.startAgentSession({ mode: 'detached', client_type: 'cli', client_name: 'agent-analytics CLI', client_instance_id: `pid:${process.pid}`, ...(scopes ? { scopes } : {}) });
    // The URL goes to stderr, so --json output stays one document on stdout.
    ctx.err(`Open this URL in a browser, sign in and approve (${started.scopes.join(', ')}):\n  ${started.authorize_url}\nWaiting for approval until ${started.expires_at} …`);
    const deadline = Date.parse(started.expires_at);
    while (Date.now() < deadline) {
      const polled = await client.pollAgentSession(started.auth_request_id, started.poll_token!);
      if (polled.status === 'approved' && polled.exchange_code) {
        const { agent_session, account } = await client.exchangeAgentSession({ auth_request_id: started.auth_request_id, exchange_code: polled.exchange_code });
        const file = writeLogin(configDir, { url, agent_session });
        if (ctx.json) ctx.out(JSON.stringify({ ok: true, url, config_file: file, account, session: { id: agent_session.id, scopes: agent_session.scopes, access_expires_at: agent_session.access_expires_at, refresh_expires_at: agent_session.refresh_expires_at } }, null, 2));
        else ctx.out(`Logged in to ${url} as ${account.email} (${account.tier}) with scopes ${agent_session.scopes.join(', ')}.\nSession ${agent_session.id} saved to ${file} (mode 0600); it renews itself until ${agent_session.refresh_expires_at}.`);
        return 0;
      }
      if (polled.status !== 'pending') throw new ClientError(0, `LOGIN_${String(polled.status).toUpperCase()}`, `the sign-in request was ${polled.status} in the browser; run \`agent-analytics login\` again`);
      await sleep(started.poll_interval_seconds * 1000);
    }
    throw new ClientError(0, 'LOGIN_EXPIRED', 'nobody approved the sign-in request in time; run `agent-analytics login` again');
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget the saved login (an agent session is revoked on the server first)',
  usage: 'agent-analytics logout',
  async run(ctx) {
    const file = configFile(ctx.settings.configDir);
    const saved = readLogin(ctx.settings.configDir);
    let revoked = false;
    if (saved.agent_session && saved.url) {
      revoked = await new AnalyticsClient({ baseUrl: saved.url, apiKey: saved.agent_session.access_token, refreshToken: saved.agent_session.refresh_token })
        .revokeAgentSession().then(() => true, () => false);
    }
    rmSync(file, { force: true });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, removed: file, session_revoked: revoked }));
    else ctx.out(`Removed ${file}.${revoked ? ' The agent session was revoked on the server.' : ''}`);
    return 0;
  },
};
