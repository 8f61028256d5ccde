// The rules of /project-context and POST /account/feedback: limits, and what their body schemas cannot say
// (which form of a body was sent, an object's length as JSON), with 400s that name the field and the limit.
// Strings are stored trimmed; nothing is ever clamped or dropped silently. unknownKeys serves /portfolio-context too.
import { badRequest } from '../errors.js';
import type { ProjectContext } from '../store/ports.js';

export const CONTEXT_LIMITS = {
  goals: 5,
  goal_chars: 160,
  activation_events: 8,
  activation_event_chars: 96,
  glossary: 10,
  event_name_chars: 96,
  term_chars: 64,
  definition_chars: 240,
} as const;

export const FEEDBACK_LIMITS = {
  message_chars: 4000,
  command_chars: 500,
  /** A string context, or an object context's JSON text. */
  context_chars: 4000,
} as const;

export const EMPTY_CONTEXT: ProjectContext = Object.freeze({ goals: [], activation_events: [], glossary: [] });

export const isEmptyContext = (c: ProjectContext | null): boolean =>
  c === null || (c.goals.length === 0 && c.activation_events.length === 0 && c.glossary.length === 0);

type Obj = Record<string, unknown>;
export const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Length in characters (code points), so an emoji counts once. */
export const chars = (s: string): number => [...s].length;
export const invalid = (message: string) => badRequest('INVALID_BODY', message);

export function unknownKeys(o: Obj, allowed: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) throw invalid(`unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} in ${where}; allowed: ${allowed.join(', ')}`);
}

const CONTEXT_KEYS = ['goals', 'activation_events', 'glossary'] as const;
/**
 * The context of a PUT /project-context body its schema accepted: `{project, goals?, activation_events?, glossary?}`,
 * or the GET answer's nesting `{project, project_context: {…}}` (so a read can be edited and sent back). Which
 * top-level fields go together is checked here, naming the form; the strings are stored trimmed. Replaces the
 * whole context: a list left out becomes empty.
 */
export function contextOfBody(body: Obj & Partial<Record<'project_context' | (typeof CONTEXT_KEYS)[number], unknown>>): ProjectContext {
  let lists: Partial<ProjectContext> = body as Partial<ProjectContext>;
  if (body.project_context !== undefined) {
    unknownKeys(body, ['project', 'project_context', 'project_id', 'ok'], 'the body (with project_context, put the lists inside it)');
    lists = body.project_context as Partial<ProjectContext>;
  } else unknownKeys(body, ['project', ...CONTEXT_KEYS], 'the body');
  const trim = (xs: string[] | undefined) => (xs ?? []).map((x) => x.trim());
  return {
    goals: trim(lists.goals),
    activation_events: trim(lists.activation_events),
    glossary: (lists.glossary ?? []).map((g) => ({ event_name: g.event_name.trim(), term: g.term.trim(), definition: g.definition.trim() })),
  };
}

export interface FeedbackInput {
  message: string;
  command: string | null;
  context: string | Record<string, unknown> | null;
}

/**
 * POST /account/feedback's fields other than `project` (which the route resolves), from a body its schema
 * accepted: the strings stored trimmed. Checked here: an object context's length as JSON, which no schema states.
 */
export function feedbackOfBody(body: { message: string; command?: string; context?: string | Obj }): FeedbackInput {
  const F = FEEDBACK_LIMITS;
  const context = typeof body.context === 'string' ? body.context.trim() : body.context ?? null;
  if (isObject(context)) {
    const n = chars(JSON.stringify(context));
    if (n > F.context_chars) throw invalid(`context is ${n} characters as JSON; the limit is ${F.context_chars}`);
  }
  return { message: body.message.trim(), command: body.command?.trim() ?? null, context };
}
