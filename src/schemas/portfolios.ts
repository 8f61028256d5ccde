// /portfolios and /portfolio-context: the shapes, declared once for the routes, the OpenAPI document and the MCP
// tools. The bodies are the validators (INVALID_BODY naming the field and the limit, http/errors.ts); the routes
// answer the verdict after their MISSING_FIELDS checks and the portfolio lookup (§1.3).
import { Type } from 'typebox';
import { badSlug, DISPLAY_NAME, PORTFOLIO_CONTEXT_LIMITS as C, PORTFOLIO_LIMITS as L, SLUG } from '../portfolios/rules.js';
import { failsSaying, NOT_BLANK } from './common.js';

/** A context string: trimmed when stored, so it must not be blank. */
const Text = (max: number, extra: { description?: string; examples?: string[] } = {}) => Type.String({ minLength: 1, maxLength: max, pattern: NOT_BLANK, ...extra });

export const PortfolioParams = Type.Object({
  idOrSlug: Type.String({ description: 'Portfolio id (pf_…) or slug', examples: ['growth'] }),
});

// Each field's failure says how to fix it (failsSaying, http/errors.ts); a bad slug's example is made from it.
const Slug = failsSaying(Type.String({ pattern: SLUG.source, description: `Unique within the account: 1-${L.slug_chars} lower-case letters, digits, "-" or "_"`, examples: ['growth'] }), { pattern: badSlug });
const NAME_TEXT = `Display name (≤ ${L.name_chars} characters)`;
/** A display name (stored trimmed): something to show, without control characters or lone surrogates. */
const Name = (description = NAME_TEXT) => failsSaying(Type.String({ minLength: 1, maxLength: L.name_chars, pattern: DISPLAY_NAME, description, examples: ['Growth system'] }), {
  pattern: (v) => (typeof v === 'string' && /\S/u.test(v) ? 'name must not contain control characters or invalid Unicode' : 'name must not be empty'),
});
const PROJECTS_TEXT = `Member projects by name or id (up to ${L.projects}), all of this account. A project belongs to at most one portfolio`;
/** A portfolio name (the MCP tool declares it required; the create route answers MISSING_FIELDS for name and slug absent). */
export const PortfolioName = Name;
const Projects = (description = PROJECTS_TEXT) => Type.Array(Type.String({ minLength: 1, maxLength: 128, pattern: NOT_BLANK }), { maxItems: L.projects, description, examples: [['my-site', 'docs-site']] });
const AllowMove = failsSaying(Type.Union([Type.Boolean(), Type.Null()], {
  description: 'Move listed projects that belong to another portfolio into this one (default false, also for null: 409 PROJECT_IN_PORTFOLIO)',
}), { type: 'allow_move must be true or false' });

export const CreatePortfolioBody = Type.Object({
  slug: Type.Optional(Slug),
  name: Type.Optional(Name(`Required. ${NAME_TEXT}; the slug is derived from it when absent`)),
  projects: Type.Optional(Projects()),
  allow_move: Type.Optional(AllowMove),
}, { additionalProperties: false, description: 'A top-level field sent as null is left out (the route drops it before validation).' });

export const PatchPortfolioBody = Type.Object({
  slug: Type.Optional(Slug),
  name: Type.Optional(Name()),
  projects: Type.Optional(Projects(`Replaces the members whole (an empty list removes them all). ${PROJECTS_TEXT}`)),
  allow_move: Type.Optional(AllowMove),
}, { additionalProperties: false, description: 'At least one of name, slug, projects.' });

export const PortfolioObject = Type.Object({
  id: Type.String({ examples: ['pf_k2j9x8q1lzr4t0ab'] }),
  slug: Type.String(),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  members: Type.Array(Type.Object({
    project_id: Type.String(),
    project: Type.String({ description: 'Project name' }),
    added_at: Type.String({ format: 'date-time' }),
  }), { description: 'Member projects, by name; deleted projects drop out' }),
});

export const PortfolioList = Type.Object({ portfolios: Type.Array(PortfolioObject, { description: 'Slug ascending' }) });
export const PortfolioResponse = Type.Object({ ok: Type.Optional(Type.Literal(true, { description: 'POST and PATCH' })), portfolio: PortfolioObject });
export const PortfolioDeleted = Type.Object({ ok: Type.Literal(true), deleted: Type.String({ description: 'The deleted portfolio id' }) });

const Goals = Type.Array(Text(C.goal_chars), {
  maxItems: C.goals, description: `What the sites achieve together: up to ${C.goals} goals of ≤ ${C.goal_chars} characters`, examples: [['Increase qualified users who reach setup']],
});
const Milestones = Type.Array(Text(C.milestone_chars), {
  maxItems: C.shared_milestones, description: `Event names that mark progress across the sites: up to ${C.shared_milestones}, each ≤ ${C.milestone_chars} characters`, examples: [['signup', 'project_created']],
});
const Glossary = Type.Array(Type.Object({
  term: Text(C.term_chars, { description: `≤ ${C.term_chars} characters`, examples: ['Qualified click'] }),
  definition: Text(C.definition_chars, { description: `≤ ${C.definition_chars} characters` }),
}, { additionalProperties: false }), { maxItems: C.glossary, description: `Up to ${C.glossary} shared terms` });
const SurfaceRoleIn = Type.Object({
  project: Type.Optional(Text(128, { description: 'Project name or id (one of yours); this or project_id is required' })),
  project_id: Type.Optional(Text(128, { description: 'Alternative to project (as GET answers it)' })),
  role: Type.String({ minLength: 1, maxLength: C.role_chars, pattern: NOT_BLANK, description: `What this site does in the portfolio (≤ ${C.role_chars} characters)`, examples: ['discovery'] }),
}, { additionalProperties: false });
const SurfaceRolesIn = Type.Array(SurfaceRoleIn, { maxItems: C.surface_roles, description: `One role per project, up to ${C.surface_roles}` });

const ContextIn = { goals: Type.Optional(Goals), surface_roles: Type.Optional(SurfaceRolesIn), shared_milestones: Type.Optional(Milestones), glossary: Type.Optional(Glossary) };

export const PutPortfolioContextBody = Type.Object({
  ...ContextIn,
  portfolio_context: Type.Optional(Type.Object(ContextIn, {
    additionalProperties: false,
    description: 'Alternative to the top-level lists (not both): the lists nested as GET /portfolio-context answers them, so a read can be edited and sent back',
  })),
  // Which top-level fields go together (the lists, or portfolio_context) is checked by the route, naming the form.
}, { description: 'Replaces the whole context: a list left out becomes empty (send {} to clear it).' });

export const PortfolioContextObject = Type.Object({
  goals: Goals,
  surface_roles: Type.Array(Type.Object({ project_id: Type.String(), project: Type.String({ description: 'Current project name' }), role: Type.String() }), {
    description: 'Roles of deleted projects drop out',
  }),
  shared_milestones: Milestones,
  glossary: Glossary,
});

export const PortfolioContextResponse = Type.Object({
  ok: Type.Optional(Type.Literal(true, { description: 'PUT only' })),
  portfolio_context: PortfolioContextObject,
});
