// `paths` (POST /paths): what sessions do between their entry page and a goal event, as indented trees.
import type { PathNode, PathsResult } from '../../client/api-types.js';
import { type Command, defined, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { num, pct, table } from '../output.js';
import { answer } from './report.js';

export type { PathsResult };

const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

function label(n: PathNode, maxSteps: number): string {
  const exit = n.exit_page ?? 'unknown';
  switch (n.type) {
    case 'page': return n.value;
    case 'event': return `event ${n.value}`;
    case 'goal': return `GOAL ${n.value}`;
    case 'drop_off': return `dropped off (exit ${exit})`;
    case 'truncated': return `still going after ${maxSteps} steps (exit ${exit})`;
  }
}

/** One node per line under its parent, with the session count and (before the end) its conversion. */
function treeLines(nodes: PathNode[], indent: string, maxSteps: number): string[] {
  return nodes.flatMap((n, i) => {
    const last = i === nodes.length - 1;
    const stats = n.type === 'goal' || n.type === 'drop_off' || n.type === 'truncated'
      ? plural(n.sessions, 'session') : `${plural(n.sessions, 'session')}, ${pct(n.conversion_rate)} reach the goal`;
    return [`${indent}${last ? '└─ ' : '├─ '}${label(n, maxSteps)}  (${stats})`, ...treeLines(n.children, indent + (last ? '   ' : '│  '), maxSteps)];
  });
}

export function renderPaths(r: PathsResult): string {
  const total = r.entry_paths.reduce((s, e) => s + e.sessions, 0);
  const head = `Paths to ${r.goal_event}, ${r.period.from} to ${r.period.to}: ${plural(total, 'session')} from ${plural(r.entry_paths.length, 'entry page')}`
    + ` (up to ${r.bounds.max_steps} steps, ${r.bounds.path_limit} branches per step)`;
  if (r.entry_paths.length === 0) return `${head}\n(no sessions with an entry page in this window)`;
  const blocks = r.entry_paths.map((e) => [
    `${e.entry_page}  (${plural(e.sessions, 'session')}, ${num(e.conversions)} reached ${r.goal_event}: ${pct(e.conversion_rate)})`,
    ...treeLines(e.tree, '', r.bounds.max_steps),
    table(['EXIT PAGE', 'SESSIONS', 'CONVERTED', 'DROP-OFFS', 'DROP-OFF RATE'],
      e.exit_pages.map((x) => [x.exit_page ?? '(unknown)', x.sessions, x.conversions, x.drop_offs, pct(x.drop_off_rate)])),
  ].join('\n'));
  return [head, ...blocks].join('\n\n');
}

export const pathsCommand: Command = {
  name: 'paths',
  summary: 'Journey trees from the top entry pages to a goal event, with drop-offs and exit pages',
  usage: `agent-analytics paths --project <name> --goal <event> [--since 1d|7d|14d|30d|90d] [--max-steps 5] [--entry-limit 10]
    [--path-limit 5] [--session-cap 5000]`,
  options: {
    ...PROJECT_OPTION, goal: { type: 'string' }, since: { type: 'string' }, 'max-steps': { type: 'string' },
    'entry-limit': { type: 'string' }, 'path-limit': { type: 'string' }, 'session-cap': { type: 'string' },
  },
  async run(ctx, _p, v) {
    const project = projectOf(v);
    const goal = opt.str(v, 'goal');
    if (!goal) throw new UsageError('--goal is required: the event that counts as reaching the goal, e.g. --goal signup');
    const res = await ctx.client().request<PathsResult>('POST', '/paths', {
      body: defined({
        project, goal_event: goal, since: opt.str(v, 'since'), max_steps: opt.int(v, 'max-steps'), entry_limit: opt.int(v, 'entry-limit'),
        path_limit: opt.int(v, 'path-limit'), candidate_session_cap: opt.int(v, 'session-cap'),
      }),
    });
    return answer(ctx, res, renderPaths);
  },
};
