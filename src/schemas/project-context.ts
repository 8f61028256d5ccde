// /project-context and POST /account/feedback: the shapes, declared once for the OpenAPI document, the MCP
// tools and the analytics echo. PUT /project-context's body is its validator (INVALID_BODY naming the field and
// the limit, http/errors.ts), and so is POST /account/feedback's (MISSING_FIELDS for a missing message).
import { Type } from 'typebox';
import { CONTEXT_LIMITS as L, FEEDBACK_LIMITS as F } from '../project-context/rules.js';
import { failsSaying, failsWith, NOT_BLANK, ProjectQuery } from './common.js';

/** A list item: trimmed when stored, so it must not be blank. */
const Text = (max: number, extra: { description?: string; examples?: string[] } = {}) => Type.String({ minLength: 1, maxLength: max, pattern: NOT_BLANK, ...extra });

export const GlossaryEntry = Type.Object({
  event_name: Text(L.event_name_chars, { description: `The tracked event name this entry explains (≤ ${L.event_name_chars} characters)`, examples: ['signup'] }),
  term: Text(L.term_chars, { description: `What the business calls it (≤ ${L.term_chars} characters)`, examples: ['Activated trial'] }),
  definition: Text(L.definition_chars, { description: `What it means and when it fires (≤ ${L.definition_chars} characters)` }),
}, { additionalProperties: false });

const Goals = Type.Array(Text(L.goal_chars), {
  maxItems: L.goals, description: `What the site is for, in plain words: up to ${L.goals} goals of ≤ ${L.goal_chars} characters`, examples: [['Turn visitors into trial signups']],
});
const ActivationEvents = Type.Array(Text(L.activation_event_chars), {
  maxItems: L.activation_events, description: `Event names that mean a user got value (activation): up to ${L.activation_events}, each ≤ ${L.activation_event_chars} characters`, examples: [['signup', 'first_project_created']],
});
const Glossary = Type.Array(GlossaryEntry, { maxItems: L.glossary, description: `Up to ${L.glossary} entries mapping event names to the business's vocabulary` });

/** The stored context: every list present (possibly empty). */
export const ProjectContextObject = Type.Object({ goals: Goals, activation_events: ActivationEvents, glossary: Glossary }, { additionalProperties: false });

/** The echo on analytics responses: present only when the project's context is non-empty. */
export const ProjectContextEcho = Type.Optional(Type.Object(ProjectContextObject.properties, {
  description: "The project's goals, activation events and glossary (set with PUT /project-context); present only when non-empty",
}));

export const ProjectContextQuery = Type.Object({ project: Type.Optional(ProjectQuery) });

export const PutProjectContextBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  goals: Type.Optional(Goals),
  activation_events: Type.Optional(ActivationEvents),
  glossary: Type.Optional(Glossary),
  project_context: Type.Optional(Type.Object({
    goals: Type.Optional(Goals), activation_events: Type.Optional(ActivationEvents), glossary: Type.Optional(Glossary),
  }, {
    additionalProperties: false,
    description: 'Alternative to the three top-level lists (not both): the lists nested as GET /project-context answers them, so a read can be edited and sent back',
  })),
  // Which top-level fields go together (the lists, or project_context) is checked by the route, naming the form.
}, { description: 'Replaces the whole context: a list left out becomes empty (send only `project` to clear it).' });

export const ProjectContextResponse = Type.Object({
  ok: Type.Optional(Type.Literal(true, { description: 'PUT only' })),
  project: Type.String({ description: 'Project name' }),
  project_id: Type.String(),
  project_context: ProjectContextObject,
});

/** Absent, null or blank: MISSING_FIELDS, answered before the project lookup (§1.3); too long or not a string: INVALID_BODY. */
export const FeedbackMessage = failsWith(failsSaying(
  Type.String({ minLength: 1, maxLength: F.message_chars, pattern: NOT_BLANK, description: `Required. What worked, what did not, what is missing (≤ ${F.message_chars} characters)` }),
  Object.fromEntries(['required', 'minLength', 'pattern'].map((k) => [k, 'message is required: say what worked, what did not, or what is missing'])),
), { required: 'MISSING_FIELDS', minLength: 'MISSING_FIELDS', pattern: 'MISSING_FIELDS', default: 'INVALID_BODY' });

const FEEDBACK_PROJECT = 'project must be a project name (or id) of this account';

/** A top-level field sent as null is absent (the route drops it before validation). */
export const FeedbackBody = Type.Object({
  message: FeedbackMessage,
  project: Type.Optional(failsSaying(Type.String({ pattern: NOT_BLANK, description: 'Optional: the project (name or id, one of yours) the feedback is about' }), { type: FEEDBACK_PROJECT, pattern: FEEDBACK_PROJECT })),
  command: Type.Optional(Type.String({ maxLength: F.command_chars, pattern: NOT_BLANK, description: `Optional: the command, tool or request concerned (≤ ${F.command_chars} characters), e.g. "agent-analytics funnel"` })),
  context: Type.Optional(failsSaying(Type.Union([Type.String({ maxLength: F.context_chars, pattern: NOT_BLANK }), Type.Record(Type.String(), Type.Unknown())], {
    description: `Optional: anything that helps reproduce it — a string or a JSON object (≤ ${F.context_chars} characters as JSON)`,
  }), { type: 'context must be a string or a JSON object' })),
}, { additionalProperties: false });

export const FeedbackResponse = Type.Object({ ok: Type.Literal(true) });

export const FeedbackListQuery = Type.Object({
  account_id: Type.Optional(Type.String({ description: 'Only this account' })),
  limit: Type.Optional(Type.String({ description: '1-500 (default 100)' })),
});

export const FeedbackItem = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  project_id: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  command: Type.Union([Type.String(), Type.Null()]),
  context: Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});
