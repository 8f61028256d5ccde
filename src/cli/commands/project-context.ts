// `context get|set|clear` (GET / PUT /project-context): the project's goals, activation events and glossary
// that agents read before interpreting its numbers (and that every analytics read echoes while non-empty).
import { readFileSync } from 'node:fs';
import type { Static } from 'typebox';
import type { ProjectContextResponse } from '../../schemas/project-context.js';
import { type Command, opt, PROJECT_OPTION, projectOf, UsageError, type Values } from '../command.js';
import { table } from '../output.js';

type ContextAnswer = Static<typeof ProjectContextResponse>;
type Lists = Record<string, unknown>;

const USAGE = `agent-analytics context get --project <name>
agent-analytics context set --project <name> [--file context.json|-] [--goal "…"]… [--activation-event <event>]… [--glossary '[{"event_name":"signup","term":"Trial start","definition":"…"}]']
agent-analytics context clear --project <name>

set replaces the whole context: lists from --file (a {goals, activation_events, glossary} object, or the JSON
that \`context get --json\` prints), then each list given by flags replaces the file's. Limits: goals ≤ 5 × 160
characters, activation_events ≤ 8 × 96, glossary ≤ 10 entries (event_name ≤ 96, term ≤ 64, definition ≤ 240).`;

function render(r: ContextAnswer): string {
  const c = r.project_context;
  if (c.goals.length === 0 && c.activation_events.length === 0 && c.glossary.length === 0) {
    return `${r.project} has no context yet: set it with \`agent-analytics context set --project ${r.project} --goal "…" --activation-event signup\` (or --file context.json).`;
  }
  return [
    `${r.project} (${r.project_id}) context`,
    '',
    'Goals:',
    ...(c.goals.length ? c.goals.map((g, i) => `  ${i + 1}. ${g}`) : ['  (none)']),
    '',
    `Activation events: ${c.activation_events.length ? c.activation_events.join(', ') : '(none)'}`,
    '',
    table(['EVENT', 'TERM', 'DEFINITION'], c.glossary.map((e) => [e.event_name, e.term, e.definition]), 'Glossary: (none)'),
  ].join('\n');
}

/** The lists of a context file: a context object, or a GET answer with the lists nested in project_context. */
function readContextFile(path: string): Lists {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --file ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--file ${path} is not JSON; expected {"goals": […], "activation_events": […], "glossary": […]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`--file ${path} must hold a JSON object {goals, activation_events, glossary}`);
  const o = data as Lists;
  const nested = o.project_context;
  if (nested !== undefined) {
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) throw new UsageError(`--file ${path}: project_context must be an object`);
    return { ...(nested as Lists) };
  }
  const { project: _p, project_id: _id, ok: _ok, ...lists } = o;
  return lists;
}

const many = (v: Values, name: string): string[] | undefined => {
  const x = v[name];
  return Array.isArray(x) ? x : typeof x === 'string' ? [x] : undefined;
};

export const projectContextCommand: Command = {
  name: 'context',
  summary: "The project's goals, activation events and glossary for agents: get, set (replaces it), clear",
  usage: USAGE,
  options: {
    ...PROJECT_OPTION, file: { type: 'string', short: 'f' }, goal: { type: 'string', multiple: true },
    'activation-event': { type: 'string', multiple: true }, glossary: { type: 'string' },
  },
  async run(ctx, positionals, v) {
    const [sub] = positionals;
    const print = (r: ContextAnswer, lead = '') => ctx.out(ctx.json ? JSON.stringify(r, null, 2) : lead + render(r));
    switch (sub) {
      case 'get': {
        const project = projectOf(v);
        print(await ctx.client().request<ContextAnswer>('GET', '/project-context', { query: { project } }));
        return 0;
      }
      case 'set': {
        const project = projectOf(v);
        const file = opt.str(v, 'file');
        const lists: Lists = file !== undefined ? readContextFile(file) : {};
        const goals = many(v, 'goal');
        const events = many(v, 'activation-event');
        const glossary = opt.json(v, 'glossary');
        if (glossary !== undefined && !Array.isArray(glossary)) throw new UsageError('--glossary must be a JSON array of {"event_name","term","definition"} objects');
        if (goals) lists.goals = goals;
        if (events) lists.activation_events = events;
        if (glossary !== undefined) lists.glossary = glossary;
        if (file === undefined && !goals && !events && glossary === undefined) {
          throw new UsageError('context set needs --file, --goal, --activation-event or --glossary (use `context clear` to empty it)');
        }
        const r = await ctx.client().request<ContextAnswer>('PUT', '/project-context', { body: { project, ...lists } });
        print(r, 'Saved. ');
        return 0;
      }
      case 'clear': {
        const project = projectOf(v);
        const r = await ctx.client().request<ContextAnswer>('PUT', '/project-context', { body: { project } });
        if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
        else ctx.out(`Cleared the context of ${r.project}; analytics responses no longer carry project_context.`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "context ${sub}"` : 'context needs a subcommand: get, set or clear');
    }
  },
};
