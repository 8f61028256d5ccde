// `portfolios list|create|get|update|delete` (/portfolios): named groups of the account's projects.
import type { Static } from 'typebox';
import type { PortfolioDeleted, PortfolioList, PortfolioObject, PortfolioResponse } from '../../schemas/portfolios.js';
import { type Command, defined, opt, UsageError } from '../command.js';
import { table } from '../output.js';

type Portfolio = Static<typeof PortfolioObject>;

const USAGE = `agent-analytics portfolios list
agent-analytics portfolios create <slug> [--name "Growth"] [--projects app,docs] [--move]
agent-analytics portfolios get <id|slug>
agent-analytics portfolios update <id|slug> [--name N] [--slug S] [--projects a,b] [--move]
agent-analytics portfolios delete <id|slug>

A project belongs to at most one portfolio: --move takes listed projects out of the portfolio that holds them
(without it the server answers 409 PROJECT_IN_PORTFOLIO). update --projects replaces the members whole
(--projects "" removes them all). Projects are named by name or id.`;

function render(p: Portfolio): string {
  return [
    `${p.name} (${p.slug}, ${p.id})`,
    table(['PROJECT', 'PROJECT ID', 'ADDED'], p.members.map((m) => [m.project, m.project_id, m.added_at.slice(0, 10)]), '(no member projects)'),
  ].join('\n');
}

export const portfoliosCommand: Command = {
  name: 'portfolios',
  summary: 'Named groups of projects: list, create, get, update, delete',
  usage: USAGE,
  options: { name: { type: 'string' }, slug: { type: 'string' }, projects: { type: 'string' }, move: { type: 'boolean' } },
  async run(ctx, positionals, v) {
    const [sub, target] = positionals;
    const client = ctx.client();
    const need = () => {
      if (!target) throw new UsageError(`portfolios ${sub} needs a portfolio slug or id`);
      return target;
    };
    const print = (body: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(body, null, 2) : human);
    const path = (ref: string) => `/portfolios/${encodeURIComponent(ref)}`;
    const move = opt.bool(v, 'move') ? { allow_move: true } : {};
    switch (sub) {
      case 'list':
      case undefined: {
        const res = await client.request<Static<typeof PortfolioList>>('GET', '/portfolios');
        print(res, table(['SLUG', 'NAME', 'PROJECTS', 'ID'], res.portfolios.map((p) => [p.slug, p.name, p.members.map((m) => m.project).join(', ') || null, p.id]),
          'No portfolios yet: group projects with `agent-analytics portfolios create <slug> --name "Name" --projects a,b`.'));
        return 0;
      }
      case 'create': {
        const slug = target ?? opt.str(v, 'slug');
        if (!slug) throw new UsageError('portfolios create needs a slug, e.g. `portfolios create growth --name "Growth" --projects app,docs`');
        const res = await client.request<Static<typeof PortfolioResponse>>('POST', '/portfolios', {
          body: defined({ slug, name: opt.str(v, 'name'), projects: opt.list(v, 'projects'), ...move }),
        });
        print(res, `Created portfolio ${res.portfolio.slug}.\n${render(res.portfolio)}`);
        return 0;
      }
      case 'get': {
        const res = await client.request<Static<typeof PortfolioResponse>>('GET', path(need()));
        print(res, render(res.portfolio));
        return 0;
      }
      case 'update': {
        const ref = need();
        const body = defined({ name: opt.str(v, 'name'), slug: opt.str(v, 'slug'), projects: opt.list(v, 'projects') });
        if (Object.keys(body).length === 0) throw new UsageError('portfolios update needs --name, --slug and/or --projects');
        const res = await client.request<Static<typeof PortfolioResponse>>('PATCH', path(ref), { body: { ...body, ...move } });
        print(res, `Updated portfolio ${res.portfolio.slug}.\n${render(res.portfolio)}`);
        return 0;
      }
      case 'delete': {
        const res = await client.request<Static<typeof PortfolioDeleted>>('DELETE', path(need()));
        print(res, `Deleted portfolio ${target} (${res.deleted}); its projects are untouched.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "portfolios ${sub}"`);
    }
  },
};
