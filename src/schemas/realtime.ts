// Inputs of the real-time reads (E16 /stream, E17 /live), declared once for the routes and the MCP tools.
import { Type } from 'typebox';
import { IntegerParam } from './analytics.js';

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
