// Inputs and outputs of the real-time reads (E16 /stream, E17 /live), declared once for the routes, the MCP tools
// and the client.
import { Type } from 'typebox';
import { IntegerParam } from './analytics.js';
import { ProjectContextEcho } from './project-context.js';

const OptionalProject = Type.String({ description: 'Project name (or id); default: the account\'s first project' });

export const LiveQuery = Type.Object({
  project: Type.Optional(OptionalProject),
  window: Type.Optional(IntegerParam('Look-back in seconds, 10-300 (default 60)')),
});

export const StreamQuery = Type.Object({
  project: Type.Optional(OptionalProject),
  events: Type.Optional(Type.String({ description: 'Comma-separated event names to stream (default: all)' })),
  filter: Type.Optional(Type.String({ description: 'key:value pairs separated by ";", AND-ed on properties, e.g. path:/pricing;plan:pro' })),
});

export const LiveResponse = Type.Object({
  project: Type.String(),
  window_seconds: Type.Integer(),
  timestamp: Type.Number({ description: 'Server time of the snapshot, epoch ms' }),
  active_visitors: Type.Integer({ description: 'Distinct non-null user_id in the window' }),
  active_sessions: Type.Integer({ description: 'Distinct non-null session_id in the window' }),
  events_per_minute: Type.Integer(),
  top_pages: Type.Array(Type.Object({ path: Type.String(), visitors: Type.Integer() })),
  top_events: Type.Array(Type.Object({ event: Type.String(), count: Type.Integer() })),
  recent_events: Type.Array(Type.Object({
    event: Type.String(),
    properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    user_id: Type.Union([Type.String(), Type.Null()]),
    session_id: Type.Union([Type.String(), Type.Null()]),
    timestamp: Type.Number(),
    country: Type.Union([Type.String(), Type.Null()]),
  })),
  project_context: ProjectContextEcho,
});

/** The data of one `track` frame of /stream (text/event-stream, so documented in the route's description). */
export const StreamEventObject = Type.Object({
  id: Type.String({ description: 'ULID; also the frame\'s id: line (send it back as Last-Event-ID)' }),
  project: Type.String(),
  event: Type.String(),
  properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  user_id: Type.Union([Type.String(), Type.Null()]),
  session_id: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.Number({ description: 'Epoch ms' }),
  country: Type.Union([Type.String(), Type.Null()]),
});
