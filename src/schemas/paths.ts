// POST /paths (Appendix A): the body and the response, declared once for validation, OpenAPI and the MCP tool.
// The body schema is the validator: each field answers with the contract's code (failsWith, http/errors.ts),
// goal_event before the project lookup (§1.3) and the rest after it; `since` is the report's own choice list.
import { type Static, Type } from 'typebox';
import { failsWith, ProjectQuery } from './common.js';
import { ProjectContextEcho } from './project-context.js';

/** Body bounds (Appendix A): [min, max, default]; out of range is a 400, never clamped. */
export const PATHS_BOUNDS = {
  max_steps: [1, 5, 5],
  entry_limit: [1, 20, 10],
  path_limit: [1, 10, 5],
  candidate_session_cap: [100, 10_000, 5000],
} as const;

const bounded = (name: keyof typeof PATHS_BOUNDS, description: string) => {
  const [minimum, maximum, fallback] = PATHS_BOUNDS[name];
  return Type.Optional(failsWith(Type.Integer({ minimum, maximum, description: `${description}, ${minimum}-${maximum} (default ${fallback})` }), 'MISSING_FIELDS',
    `${name} must be an integer from ${minimum} to ${maximum} (default ${fallback})`));
};

export const PathsBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  // Listed first: its failures answer before the project lookup (§1.3 step 4).
  goal_event: failsWith(Type.String({
    minLength: 1, maxLength: 256, pattern: '\\S', description: 'The event that counts as reaching the goal (1-256 characters, not blank), e.g. "signup"', examples: ['signup'],
  }), 'MISSING_FIELDS', 'goal_event is the event name that counts as reaching the goal (1-256 characters), e.g. "signup"'),
  since: Type.Optional(failsWith(Type.String({ description: 'Window: 1d | 7d | 14d | 30d (default) | 90d — sessions that started on or after that UTC date' }),
    'MISSING_FIELDS', 'since is one of 1d, 7d, 14d, 30d, 90d (default 30d)')),
  max_steps: bounded('max_steps', 'Steps after the entry page before a path is cut as truncated'),
  entry_limit: bounded('entry_limit', 'Top entry pages (by sessions) to build a tree for'),
  path_limit: bounded('path_limit', 'Children kept per tree node (most sessions first)'),
  candidate_session_cap: bounded('candidate_session_cap', 'Most recent sessions on those entry pages to analyse'),
});

const Rate = Type.Number({ description: 'Fraction 0-1, 3 decimals' });

/** A tree node; `children` nest the same shape (a recursive reference kept out of the OpenAPI document). */
export const PathNodeObject = Type.Object({
  type: Type.Union([Type.Literal('page'), Type.Literal('event'), Type.Literal('goal'), Type.Literal('drop_off'), Type.Literal('truncated')], {
    description: 'page = page_view of another page; event = interactive event; goal = goal_event (path ends); drop_off / truncated = how a path without the goal ended',
  }),
  value: Type.String({ description: 'Page path, event name, goal event, or for drop_off/truncated the exit page ("(unknown)" when the session has none)' }),
  sessions: Type.Integer(),
  conversions: Type.Integer({ description: 'Sessions through this node whose path ends in the goal' }),
  conversion_rate: Rate,
  children: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Next steps, same shape, at most path_limit' }),
  exit_page: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'drop_off/truncated only: the session exit page (§1.6)' })),
});

export const PathsResponse = Type.Object({
  project: Type.String(),
  goal_event: Type.String(),
  period: Type.Object({ from: Type.String({ description: 'YYYY-MM-DD (UTC), after the retention clamp' }), to: Type.String({ description: 'Today, YYYY-MM-DD (UTC)' }) }),
  bounds: Type.Object({ max_steps: Type.Integer(), entry_limit: Type.Integer(), path_limit: Type.Integer(), candidate_session_cap: Type.Integer() }),
  entry_paths: Type.Array(Type.Object({
    entry_page: Type.String(),
    sessions: Type.Integer({ description: 'Candidate sessions that started on this page' }),
    conversions: Type.Integer(),
    conversion_rate: Rate,
    exit_pages: Type.Array(Type.Object({
      exit_page: Type.Union([Type.String(), Type.Null()]),
      sessions: Type.Integer(),
      conversions: Type.Integer(),
      conversion_rate: Rate,
      drop_offs: Type.Integer({ description: 'sessions − conversions (drop_off and truncated paths)' }),
      drop_off_rate: Rate,
    })),
    tree: Type.Array(PathNodeObject, { description: 'First steps after the entry page, at most path_limit' }),
  })),
  project_context: ProjectContextEcho,
});

/** The recursion the schema keeps out of the OpenAPI document, put back for TypeScript (reports and client). */
export type PathNode = Omit<Static<typeof PathNodeObject>, 'children'> & { children: PathNode[] };
type Paths = Static<typeof PathsResponse>;
export type EntryPath = Omit<Paths['entry_paths'][number], 'tree'> & { tree: PathNode[] };
export type PathsShape = Omit<Paths, 'entry_paths'> & { entry_paths: EntryPath[] };
