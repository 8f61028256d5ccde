// The rules of /portfolios and /portfolio-context: limits, slugs, and what the body schemas (schemas/portfolios.ts)
// cannot say: a field required across two, a slug derived from the name, which form of a context body was sent.
import { badRequest } from '../errors.js';
import { CONTEXT_LIMITS, invalid, unknownKeys } from '../project-context/rules.js';

type Obj = Record<string, unknown>;

export const PORTFOLIO_LIMITS = {
  portfolios: 100,
  slug_chars: 64,
  name_chars: 128,
  projects: 100,
} as const;

/** Lower-case letters, digits, "-" and "_", starting with a letter or digit. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const PORTFOLIO_CONTEXT_LIMITS = {
  goals: CONTEXT_LIMITS.goals,
  goal_chars: CONTEXT_LIMITS.goal_chars,
  surface_roles: 20,
  role_chars: 96,
  shared_milestones: CONTEXT_LIMITS.activation_events,
  milestone_chars: CONTEXT_LIMITS.activation_event_chars,
  glossary: CONTEXT_LIMITS.glossary,
  term_chars: CONTEXT_LIMITS.term_chars,
  definition_chars: CONTEXT_LIMITS.definition_chars,
} as const;

/** A slug from a display name: ASCII letters and digits kept (accents dropped), every other run becomes "-". */
export function slugFromName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, PORTFOLIO_LIMITS.slug_chars).replace(/-+$/, '');
}

/**
 * A display name (validated by its schema, stored trimmed): whitespace around it, and inside it no control
 * characters or lone surrogates (stored as text, not JSON), and something that is not whitespace.
 */
export const DISPLAY_NAME = '^\\s*[^\\u0000-\\u001f\\u007f\\ud800-\\udfff]*[^\\s\\u0000-\\u001f\\u007f\\ud800-\\udfff]\\s*$';

/** A slug that is not one, answered with one made from it as the example (the slug schema's message). */
export function badSlug(v: unknown): string {
  const hint = typeof v === 'string' ? slugFromName(v) : '';
  return `slug "${String(v)}" must be 1-${PORTFOLIO_LIMITS.slug_chars} lower-case letters, digits, "-" or "_", starting with a letter or digit${hint ? ` (e.g. "${hint}")` : ''}`;
}

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

export interface PortfolioInput {
  slug: string;
  name: string;
  projects: string[];
  move: boolean;
}

/** The fields of a POST or PATCH body its schema accepted (null fields of a POST were left out before). */
interface PortfolioFields {
  slug?: string;
  name?: string;
  projects?: string[];
  allow_move?: boolean | null;
}

/** The `projects` list: names or ids of the caller's projects (resolved by the caller), trimmed, duplicates merged. */
const projectRefs = (refs: string[]) => [...new Set(refs.map((r) => r.trim()))];

/**
 * POST /portfolios, §1.3 step 4 before the schema's verdict: `name` (or at least `slug`) is required — a check
 * across two fields, so it is the route's, not the schema's.
 */
export function requireNameOrSlug(body: Obj): void {
  if (!present(body.name) && !present(body.slug)) {
    throw badRequest('MISSING_FIELDS', 'name is required: send {"name": "Growth", "projects": ["my-site", "docs-site"]} (slug is derived from the name unless given)');
  }
}

/** POST /portfolios, a body its schema accepted: the slug is derived from the name when absent. */
export function createInput(body: PortfolioFields): PortfolioInput {
  const name = body.name?.trim() ?? body.slug!;
  // Depends on the name, not on any one field's shape: checked after the schema.
  const derived = body.slug ?? slugFromName(name);
  if (derived === '') throw invalid(`no slug can be derived from name "${name}"; send a slug of lower-case letters, digits, "-" or "_"`);
  return { slug: derived, name, projects: projectRefs(body.projects ?? []), move: body.allow_move ?? false };
}

export interface PortfolioPatch {
  slug?: string;
  name?: string;
  projects?: string[];
  move: boolean;
}

/** PATCH /portfolios/{idOrSlug}: at least one of name, slug, projects (which replaces the members whole). */
export function requirePatchFields(body: Obj): void {
  if (body.name === undefined && body.slug === undefined && body.projects === undefined) {
    throw badRequest('MISSING_FIELDS', 'no fields to update; send name, slug and/or projects (the full new member list)');
  }
}

/** PATCH /portfolios/{idOrSlug}, a body its schema accepted. */
export function patchInput(body: PortfolioFields): PortfolioPatch {
  const out: PortfolioPatch = { move: body.allow_move ?? false };
  if (body.slug !== undefined) out.slug = body.slug;
  if (body.name !== undefined) out.name = body.name.trim();
  if (body.projects !== undefined) out.projects = projectRefs(body.projects);
  return out;
}

/** A portfolio context as sent: surface roles name their project by name or id (resolved by the caller). */
export interface PortfolioContextInput {
  goals: string[];
  surface_roles: { project: string; role: string }[];
  shared_milestones: string[];
  glossary: { term: string; definition: string }[];
}

const CONTEXT_KEYS = ['goals', 'surface_roles', 'shared_milestones', 'glossary'] as const;

/** The lists as the PUT body's schema accepted them (limits, types and unknown keys are the schema's). */
interface ContextLists {
  goals?: string[];
  surface_roles?: { project?: string; project_id?: string; role: string }[];
  shared_milestones?: string[];
  glossary?: { term: string; definition: string }[];
}

/**
 * PUT /portfolio-context, a body its schema accepted: the four lists at the top level, or nested in
 * `portfolio_context` as GET answers them (so a read can be edited and sent back). Checked here: which form was
 * sent, and that each role names its project; the strings are stored trimmed. A list left out becomes empty.
 */
export function portfolioContextOfBody(body: Obj & ContextLists & { portfolio_context?: ContextLists }): PortfolioContextInput {
  let lists: ContextLists = body;
  if (body.portfolio_context !== undefined) {
    unknownKeys(body, ['portfolio_context', 'ok'], 'the body (with portfolio_context, put the lists inside it)');
    lists = body.portfolio_context;
  } else unknownKeys(body, CONTEXT_KEYS, 'the body');
  const trim = (xs: string[] | undefined) => (xs ?? []).map((x) => x.trim());
  return {
    goals: trim(lists.goals),
    surface_roles: (lists.surface_roles ?? []).map((r, i) => {
      // An edited GET answer carries both; the id names the project.
      const project = r.project_id ?? r.project;
      if (project === undefined) throw invalid(`surface_roles[${i}].project is required: the name (or id) of one of your projects`);
      return { project: project.trim(), role: r.role.trim() };
    }),
    shared_milestones: trim(lists.shared_milestones),
    glossary: (lists.glossary ?? []).map((g) => ({ term: g.term.trim(), definition: g.definition.trim() })),
  };
}
