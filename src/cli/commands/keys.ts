// `keys list|create|delete` (/account/keys) and `agent-sessions list|revoke` (/account/agent-sessions): who may
// use the account, with what scopes, and ending that access. Creating keys needs the owner key.
import { SCOPES } from '../../accounts/scopes.js';
import { type Command, opt, UsageError } from '../command.js';
import { table } from '../output.js';

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : null);

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Named API keys with scopes (read-only keys for agents): list, create, delete',
  usage: `agent-analytics keys list
agent-analytics keys create <name> --scopes analytics:read,projects:read [--projects site-a,site-b] [--expires-in-days 30]
agent-analytics keys delete <key id>

scopes: ${SCOPES.join(', ')}. The key is printed once; it works like any API key (X-API-Key, AA_API_KEY).`,
  options: { scopes: { type: 'string' }, projects: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  async run(ctx, [sub, target], v) {
    const client = ctx.client();
    const print = (body: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(body, null, 2) : human);
    switch (sub) {
      case 'list':
      case undefined: {
        const res = await client.keys();
        print(res, table(['ID', 'NAME', 'SCOPES', 'PROJECTS', 'EXPIRES', 'LAST USED'], res.keys.map((k) => [
          k.id, k.name, k.scopes.join(','), k.projects ? k.projects.map((p) => p.name).join(',') : 'all', day(k.expires_at) ?? 'never', day(k.last_used_at),
        ]), 'No named keys: create one with `agent-analytics keys create <name> --scopes analytics:read,projects:read`.'));
        return 0;
      }
      case 'create': {
        if (!target) throw new UsageError('keys create needs a name, e.g. `keys create "report agent" --scopes analytics:read,projects:read`');
        const scopes = opt.list(v, 'scopes');
        if (!scopes?.length) throw new UsageError(`--scopes is required: a comma-separated subset of ${SCOPES.join(', ')}`);
        const days = opt.int(v, 'expires-in-days');
        const projects = opt.list(v, 'projects');
        const res = await client.createKey({ name: target, scopes: scopes as never[], ...(projects ? { projects } : {}), ...(days !== undefined ? { expires_in_days: days } : {}) });
        print(res, `Created key ${res.key.id} "${res.key.name}" with ${res.key.scopes.join(', ')}${res.key.projects ? ` on ${res.key.projects.map((p) => p.name).join(', ')}` : ''}.\n`
          + `API key (shown only now): ${res.api_key}\nUse it as AA_API_KEY=${res.api_key.slice(0, 8)}… or the X-API-Key header; delete it with \`agent-analytics keys delete ${res.key.id}\`.`);
        return 0;
      }
      case 'delete': {
        if (!target) throw new UsageError('keys delete needs the key id (`keys list` shows them)');
        const res = await client.deleteKey(target);
        print(res, `Deleted key ${target}: it stopped working on every replica.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "keys ${sub}"`);
    }
  },
};

export const agentSessionsCommand: Command = {
  name: 'agent-sessions',
  summary: 'Browser-approved agent sessions of the account: list, revoke',
  usage: 'agent-analytics agent-sessions list\nagent-analytics agent-sessions revoke <session id>',
  async run(ctx, [sub, target]) {
    const client = ctx.client();
    const print = (body: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(body, null, 2) : human);
    switch (sub) {
      case 'list':
      case undefined: {
        const res = await client.agentSessions();
        print(res, table(['ID', 'CLIENT', 'SCOPES', 'CREATED', 'LAST USED', 'RENEWABLE UNTIL'], res.agent_sessions.map((s) => [
          `${s.id}${s.current ? ' (this one)' : ''}`, s.client_name ?? s.client_type, s.scopes.join(','), day(s.created_at), day(s.last_used_at), day(s.refresh_expires_at),
        ]), 'No agent sessions: agents sign in with `agent-analytics login` and a person approves in the browser.'));
        return 0;
      }
      case 'revoke': {
        if (!target) throw new UsageError('agent-sessions revoke needs the session id (`agent-sessions list` shows them)');
        const res = await client.revokeAgentSession(target);
        print(res, `Revoked agent session ${res.session_id}: its tokens stopped working on every replica.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "agent-sessions ${sub}"`);
    }
  },
};
