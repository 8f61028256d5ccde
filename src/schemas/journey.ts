// /journey (referenced by the official CLI, Appendix A): the inputs and the response, declared once for the
// routes, the OpenAPI document and the MCP tool. The inputs are the validators: user_id answers with the contract's
// codes (failsWith, http/errors.ts) after PROJECT_REQUIRED and the email refusal, before the project lookup.
import { Type } from 'typebox';
import { IntegerParam } from './analytics.js';
import { EventRowObject } from './analytics-responses.js';
import { failsWith, ProjectQuery } from './common.js';
import { ProjectContextEcho } from './project-context.js';

/** The longest user_id a stored event can carry. */
export const MAX_USER_ID = 256;

const journeyFields = {
  project: Type.Optional(ProjectQuery),
  // Absent, empty or too long: MISSING_FIELDS (no stored event can match); not a string: INVALID_BODY.
  user_id: failsWith(Type.String({
    minLength: 1, maxLength: MAX_USER_ID, examples: ['user_42'],
    description: `The user whose journey to show (≤ ${MAX_USER_ID} characters); an anonymous id mapped with POST /identify shows the identified user's journey`,
  }), { required: 'MISSING_FIELDS', minLength: 'MISSING_FIELDS', maxLength: 'MISSING_FIELDS', default: 'INVALID_BODY' },
  `pass the id of the user whose journey to show, e.g. user_id=user_42 (an anonymous id such as anon_… works too); one longer than ${MAX_USER_ID} characters is on no stored event`),
  since: Type.Optional(Type.String({ description: 'Window start: Nd (e.g. 7d) or an ISO date/date-time; default 30d' })),
  limit: Type.Optional(IntegerParam('Events returned, oldest first: 1–1000, default 100 (0 or garbage → 100, negative → 1); `truncated` says when more exist — move `since` forward to read on')),
};

export const JourneyQuery = Type.Object(journeyFields);

export const JourneyBody = Type.Object({
  ...journeyFields,
  email: Type.Optional(Type.Unknown({ description: 'Not offered by a self-hosted server (it stores no email addresses): answers 400 EMAIL_LOOKUP_UNSUPPORTED; pass user_id' })),
});

export const JourneyResponse = Type.Object({
  project: Type.String(),
  user_id: Type.String({ description: 'The user id as requested' }),
  profiles: Type.Array(Type.Object({
    user_id: Type.String({ description: 'The canonical id the events carry (the identified user when the requested id was mapped by /identify)' }),
    first_seen: Type.String({ description: 'UTC date of the first event in the window' }),
    last_seen: Type.String({ description: 'UTC date of the last event in the window' }),
    event_count: Type.Integer({ description: 'All of the user\'s events in the window' }),
    session_count: Type.Integer({ description: 'Distinct sessions among them' }),
  }), { description: 'The matched user (one entry), or empty when the user has no events in the window' }),
  period: Type.Object({ from: Type.String({ description: 'YYYY-MM-DD (UTC), after the retention clamp' }), to: Type.String({ description: 'Today, YYYY-MM-DD (UTC)' }) }),
  events: Type.Array(EventRowObject, { description: 'Oldest first (timestamp, then id); each carries its session_id' }),
  count: Type.Integer({ description: 'Events returned' }),
  truncated: Type.Boolean({ description: 'More events exist in the window than `limit` returned' }),
  project_context: ProjectContextEcho,
});
