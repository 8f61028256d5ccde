// Inputs of ingestion (E1, E2), declared once for the routes' OpenAPI and the MCP tools. Every field is
// optional because the contract orders its checks (token 401 before field 400s) and picks the codes in code.
import { Type } from 'typebox';

export const TrackEvent = Type.Object({
  token: Type.Optional(Type.String({ description: 'Project token (aat_…) from POST /projects; identifies the project' })),
  event: Type.Optional(Type.String({ description: 'Event name, 1-256 chars, e.g. signup or page_view. Required.' })),
  properties: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'JSON object, at most 8 KB serialized, e.g. {"plan":"pro","path":"/pricing"}' })),
  user_id: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Who did it (<= 256 chars); without it the event is anonymous and never counts as a unique user' })),
  session_id: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Visit id (<= 256 chars); events without it belong to no session' })),
  timestamp: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'Epoch ms within [now-30d, now+5min]; default: receive time' })),
  project: Type.Optional(Type.String({ description: 'Project name (informational; the token decides the project)' })),
});

export const TrackBatchBody = Type.Object({
  events: Type.Optional(Type.Array(TrackEvent, { description: '1-100 events, all with the same token' })),
  token: Type.Optional(Type.String({ description: 'Default token for events that omit theirs' })),
});

export const TrackAccepted = Type.Object({
  ok: Type.Boolean(),
  queued: Type.Boolean({ description: 'true: durably accepted (queryable within a second); false with dropped:"bot" for filtered crawlers' }),
  count: Type.Optional(Type.Integer({ description: 'Batch only: events accepted' })),
  dropped: Type.Optional(Type.String()),
});
