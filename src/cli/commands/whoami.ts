// `whoami`: which server and key the CLI uses, and the account behind the key (tier, limits, project slots).
import type { Command } from '../command.js';
import { flagLines, num } from '../output.js';

const limit = (n: number) => (n === -1 ? 'unlimited' : num(n));

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show the server, the key in use and the account: tier, limits, project slots',
  usage: 'agent-analytics whoami',
  async run(ctx) {
    const { url, urlSource, apiKey, keySource } = ctx.settings;
    const account = await ctx.client().account();
    const masked = apiKey ? `${apiKey.slice(0, 8)}…${apiKey.slice(-4)}` : null;
    if (ctx.json) {
      ctx.out(JSON.stringify({ url, url_source: urlSource, key: masked, key_source: keySource, account }, null, 2));
      return 0;
    }
    const t = account.tier_limits;
    ctx.out([
      `${account.email} (${account.id}), tier ${account.tier}`,
      `server   ${url}  [${urlSource}]`,
      `api key  ${masked}  [${keySource}]`,
      `projects ${account.projects_count} of ${limit(account.projects_limit)}`,
      `limits   ${limit(t.rate_limit_rpm)} requests/min, ${limit(t.max_events_lifetime)} lifetime events, ${limit(t.max_events_per_month)} events/month, ${limit(t.max_reads_per_month)} reads/month, retention ${t.retention_days === -1 ? 'forever' : `${t.retention_days} days`}`,
    ].join('\n') + flagLines(account.flags));
    return 0;
  },
};
