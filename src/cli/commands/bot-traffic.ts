// `bot-traffic` (GET /bot-traffic, or GET /account/bot-traffic with --account): the crawlers, AI agents and
// other bots the ingestion filter kept out, this period vs the one before.
import type { AccountBotTraffic, BotTraffic } from '../../client/api-types.js';
import { type Command, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { change, num, table } from '../output.js';
import { answer } from './report.js';

export type { AccountBotTraffic, BotTraffic };

/** ISO 8601 → "2026-03-09 08:14:03" (UTC, as the other commands print times). */
const at = (iso: string | null): string => (iso ? iso.replace('T', ' ').slice(0, 19) : '-');
const share = (p: number): string => `${p.toFixed(1)}%`;

function render(r: BotTraffic | AccountBotTraffic, title: string): string {
  const p = r.period;
  const s = r.summary;
  const parts = [
    `${title}: bot traffic ${p.from} → ${p.to} vs ${p.previous_from} → ${p.previous_to} (${p.label})`,
    `${num(s.automated_requests.current)} automated requests (${change(s.automated_requests.change_pct)}), ${num(s.dropped_events.current)} dropped events (${change(s.dropped_events.change_pct)}); last seen ${s.last_seen_at ? `${at(s.last_seen_at)} UTC` : 'never in this period'}`,
  ];
  if (r.scope === 'account') {
    const a = r as AccountBotTraffic;
    parts.push(`${a.summary.active_projects} of ${a.summary.total_projects} projects saw bots`, '',
      table(['PROJECT', 'REQUESTS', 'EVENTS', 'SHARE', 'LAST SEEN'], a.projects.map((x) => [x.name, num(x.requests), num(x.dropped_events), share(x.share_pct), at(x.last_seen_at)]), '(no projects)')
      + (a.remaining_projects > 0 ? `\n… and ${a.remaining_projects} more project${a.remaining_projects === 1 ? '' : 's'} (raise --limit, up to 50)` : ''));
  }
  parts.push('',
    table(['CATEGORY', 'REQUESTS', 'EVENTS', 'SHARE'], r.categories.map((c) => [c.category, num(c.requests), num(c.dropped_events), share(c.share_pct)]), '(no bot traffic in this period)'),
    '',
    table(['ACTOR', 'CATEGORY', 'REQUESTS', 'EVENTS', 'LAST SEEN'], r.actors.map((x) => [x.actor, x.category, num(x.requests), num(x.dropped_events), at(x.last_seen_at)]), ''),
    '',
    table(['DATE', 'REQUESTS', 'EVENTS'], r.time_series.map((d) => [d.date, num(d.requests), num(d.dropped_events)])));
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

export const botTrafficCommand: Command = {
  name: 'bot-traffic',
  summary: 'Bots kept out of ingestion (crawlers, AI agents, previews, monitors) by category and actor, vs the previous period',
  usage: `agent-analytics bot-traffic --project <name> [--period 1d|7d|14d|30d|90d] [--limit 1-50]
agent-analytics bot-traffic --account [--period 1d|7d|14d|30d|90d] [--limit 1-50]`,
  options: { ...PROJECT_OPTION, account: { type: 'boolean' }, period: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _p, v) {
    const query = { period: opt.str(v, 'period'), limit: opt.str(v, 'limit') };
    if (opt.bool(v, 'account')) {
      if (opt.str(v, 'project') !== undefined) throw new UsageError('use either --account or --project, not both');
      const res = await ctx.client().request<AccountBotTraffic>('GET', '/account/bot-traffic', { query });
      return answer(ctx, res, (r) => render(r, 'all projects'));
    }
    const project = projectOf(v);
    const res = await ctx.client().request<BotTraffic>('GET', '/bot-traffic', { query: { project, ...query } });
    return answer(ctx, res, (r) => render(r, project));
  },
};
