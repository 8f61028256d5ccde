// Inputs of ingestion (E1, E2), declared once: the track routes document their bodies with them (validation
// runs in the ingestion pipeline, in the contract's check order) and the MCP track tools publish them.
import { Type } from 'typebox';

const EventFields = {
  event: Type.String({ description: 'Event name, 1–256 characters' }),
  properties: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'JSON object, at most 8192 bytes serialised' })),
  user_id: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  session_id: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  timestamp: Type.Optional(Type.Union([Type.Number({ description: 'Epoch ms within [now − 30 d, now + 5 min]; default: receive time' }), Type.Null()])),
  project: Type.Optional(Type.String({ description: 'Ignored by the server: the token decides the project (the CLI and MCP tools use it to look the token up when none is given)' })),
};

export const TrackBody = Type.Object({ token: Type.String({ description: 'Project token (aat_…)' }), ...EventFields });

export const TrackBatchBody = Type.Object({
  token: Type.Optional(Type.String({ description: 'Default token for events that omit theirs' })),
  events: Type.Array(Type.Object({ token: Type.Optional(Type.String()), ...EventFields }), { minItems: 1, maxItems: 100 }),
});

export const TrackTokenQuery = Type.Object({ token: Type.Optional(Type.String({ description: 'Fallback when the body has no token' })) });

export const TrackAcceptedResponse = Type.Object({ ok: Type.Boolean(), queued: Type.Boolean() });
export const TrackBatchAcceptedResponse = Type.Object({ ok: Type.Boolean(), queued: Type.Boolean(), count: Type.Integer() });
/** 200, not 202: a bot's request is answered but nothing is stored (Appendix D). */
export const BotDroppedResponse = Type.Object({ ok: Type.Boolean(), queued: Type.Literal(false), dropped: Type.Literal('bot') });
