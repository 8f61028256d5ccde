// `portfolio-context get|set|clear` (GET / PUT /portfolio-context): the account's shared context for its sites —
// goals, the role each site plays, milestones shared across them, and a glossary.
import { readFileSync } from 'node:fs';
import type { Static } from 'typebox';
import type { PortfolioContextResponse } from '../../schemas/portfolios.js';
import { type Command, opt, UsageError, type Values } from '../command.js';
import { table } from '../output.js';

type ContextAnswer = Static<typeof PortfolioContextResponse>;
type Lists = Record<string, unknown>;

const USAGE = `agent-analytics portfolio-context get
agent-analytics portfolio-context set [--file context.json|-] [--body '{"goals":[…],…}'] [--goal "…"]… [--role <project>=<role>]…
    [--milestone <event>]… [--glossary '[{"term":"…","definition":"…"}]']
agent-analytics portfolio-context clear

set replaces the whole context: lists from --file or --body (a {goals, surface_roles, shared_milestones, glossary}
object, or what \`portfolio-context get --json\` prints), then each list given by flags replaces that one. Limits:
goals ≤ 5 × 160 characters, surface_roles ≤ 20 (one role ≤ 96 characters per project), shared_milestones ≤ 8 × 96,
glossary ≤ 10 entries (term ≤ 64, definition ≤ 240).`;

function render(r: ContextAnswer): string {
  const c = r.portfolio_context;
  if (c.goals.length + c.surface_roles.length + c.shared_milestones.length + c.glossary.length === 0) {
    return 'No portfolio context yet: set it with `agent-analytics portfolio-context set --goal "…" --role my-site=conversion --milestone signup`.';
  }
  return [
    'Portfolio context',
    '',
    'Goals:',
    ...(c.goals.length ? c.goals.map((g, i) => `  ${i + 1}. ${g}`) : ['  (none)']),
    '',
    table(['PROJECT', 'ROLE'], c.surface_roles.map((s) => [s.project, s.role]), 'Surface roles: (none)'),
    '',
    `Shared milestones: ${c.shared_milestones.length ? c.shared_milestones.join(', ') : '(none)'}`,
    '',
    table(['TERM', 'DEFINITION'], c.glossary.map((e) => [e.term, e.definition]), 'Glossary: (none)'),
  ].join('\n');
}

/** The lists of a JSON document: a context object, or a GET answer with the lists nested in portfolio_context. */
function lists(text: string, where: string): Lists {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${where} is not JSON; expected {"goals": […], "surface_roles": […], "shared_milestones": […], "glossary": […]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${where} must hold a JSON object {goals, surface_roles, shared_milestones, glossary}`);
  const { ok: _ok, portfolio_context: nested, ...rest } = data as Lists;
  if (nested === undefined) return rest;
  if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) throw new UsageError(`${where}: portfolio_context must be an object`);
  return { ...(nested as Lists) };
}

function readFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --file ${path}: ${(err as Error).message}`);
  }
}

const many = (v: Values, name: string): string[] | undefined => {
  const x = v[name];
  return Array.isArray(x) ? x : typeof x === 'string' ? [x] : undefined;
};

/** `--role project=role` pairs. */
function roles(pairs: string[]): { project: string; role: string }[] {
  return pairs.map((p) => {
    const i = p.indexOf('=');
    if (i <= 0 || i === p.length - 1) throw new UsageError(`--role takes <project>=<role>, e.g. --role my-site=conversion (got "${p}")`);
    return { project: p.slice(0, i).trim(), role: p.slice(i + 1).trim() };
  });
}

export const portfolioContextCommand: Command = {
  name: 'portfolio-context',
  summary: "The account's shared context for its sites: goals, surface roles, shared milestones, glossary",
  usage: USAGE,
  options: {
    file: { type: 'string', short: 'f' }, body: { type: 'string' }, goal: { type: 'string', multiple: true }, role: { type: 'string', multiple: true },
    milestone: { type: 'string', multiple: true }, glossary: { type: 'string' },
  },
  async run(ctx, positionals, v) {
    const [sub] = positionals;
    const print = (r: ContextAnswer, lead = '') => ctx.out(ctx.json ? JSON.stringify(r, null, 2) : lead + render(r));
    switch (sub) {
      case 'get':
        print(await ctx.client().request<ContextAnswer>('GET', '/portfolio-context'));
        return 0;
      case 'set': {
        const file = opt.str(v, 'file');
        const inline = opt.str(v, 'body');
        if (file !== undefined && inline !== undefined) throw new UsageError('give --file or --body, not both');
        const doc: Lists = file !== undefined ? lists(readFile(file), `--file ${file}`) : inline !== undefined ? lists(inline, '--body') : {};
        const goals = many(v, 'goal');
        const roleFlags = many(v, 'role');
        const milestones = many(v, 'milestone');
        const glossary = opt.json(v, 'glossary');
        if (glossary !== undefined && !Array.isArray(glossary)) throw new UsageError('--glossary must be a JSON array of {"term","definition"} objects');
        if (goals) doc.goals = goals;
        if (roleFlags) doc.surface_roles = roles(roleFlags);
        if (milestones) doc.shared_milestones = milestones;
        if (glossary !== undefined) doc.glossary = glossary;
        if (file === undefined && inline === undefined && !goals && !roleFlags && !milestones && glossary === undefined) {
          throw new UsageError('portfolio-context set needs --file, --body, --goal, --role, --milestone or --glossary (use `portfolio-context clear` to empty it)');
        }
        print(await ctx.client().request<ContextAnswer>('PUT', '/portfolio-context', { body: doc }), 'Saved. ');
        return 0;
      }
      case 'clear': {
        const r = await ctx.client().request<ContextAnswer>('PUT', '/portfolio-context', { body: {} });
        if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
        else ctx.out('Cleared the portfolio context.');
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "portfolio-context ${sub}"` : 'portfolio-context needs a subcommand: get, set or clear');
    }
  },
};
