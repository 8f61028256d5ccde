// Scoped credentials (issue 16): named API keys (/account/keys) and agent sessions (/agent-sessions/*,
// /account/agent-sessions). The agent-session shapes follow what the official CLI sends and reads.
import { Type } from 'typebox';
import { SCOPE_DESCRIPTIONS, SCOPES } from '../accounts/scopes.js';

export const ScopeName = Type.Enum(SCOPES, { description: `One of ${SCOPES.join(', ')}` });
export const ScopeList = Type.Array(ScopeName, { uniqueItems: false });

export const NamedKeyView = Type.Object({
  id: Type.String({ examples: ['key_3k9x0c2m7q1w5e8r'] }),
  name: Type.String(),
  scopes: ScopeList,
  projects: Type.Union([Type.Array(Type.Object({ id: Type.String(), name: Type.String() })), Type.Null()], { description: 'The projects the key is restricted to; null = every project of the account' }),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Recorded at most once a minute' }),
});

export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128, description: 'What the key is for, e.g. "weekly report agent"' }),
  scopes: Type.Array(ScopeName, { minItems: 1, description: 'What the key may do; e.g. ["analytics:read", "projects:read"] for a read-only key' }),
  projects: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 100, description: 'Restrict the key to these projects (names or ids); omit for all' })),
  expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'The key stops working after this many days; omit for no expiry' })),
}, { additionalProperties: false });

export const CreatedKey = Type.Object({
  key: NamedKeyView,
  api_key: Type.String({ description: 'The key itself (aak_…), shown only in this response; send it like any API key' }),
});

export const KeyList = Type.Object({
  keys: Type.Array(NamedKeyView),
  available_scopes: Type.Array(Type.Object({ scope: ScopeName, description: Type.String() }), { description: 'Every scope a key may hold, with what it allows (for pickers such as the dashboard\'s)' }),
});

/** The scope catalogue as GET /account/keys lists it. */
export const availableScopes = () => SCOPES.map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] }));
export const KeyParams = Type.Object({ id: Type.String() });
/** The approval page's path: the sign-in request it decides. */
export const AuthorizeParams = Type.Object({ id: Type.String({ description: 'The agent sign-in request id (from POST /agent-sessions/start)' }) });
export const KeyDeleted = Type.Object({ ok: Type.Boolean(), id: Type.String() });

export const StartBody = Type.Object({
  mode: Type.Optional(Type.Union([Type.Literal('interactive'), Type.Literal('detached')], { description: 'interactive (default): the approval page redirects to callback_url with an exchange code; detached: the client polls' })),
  client_type: Type.String({ minLength: 1, maxLength: 64, description: 'cli, mcp, agent, …' }),
  client_name: Type.Optional(Type.String({ maxLength: 128 })),
  client_instance_id: Type.Optional(Type.String({ maxLength: 128 })),
  callback_url: Type.Optional(Type.String({ maxLength: 2048, description: 'Interactive only: a loopback http URL (127.0.0.1, [::1] or localhost)' })),
  scopes: Type.Optional(Type.Array(Type.String(), { description: 'Requested scopes; default: all' })),
  code_challenge: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Hex SHA-256 of the code verifier (required for interactive)' })),
  metadata: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true });

export const Started = Type.Object({
  auth_request_id: Type.String(),
  authorize_url: Type.String({ description: 'Open in a browser: a person signs in and approves or denies' }),
  mode: Type.String(),
  poll_token: Type.Optional(Type.String({ description: 'Detached only: send with POST /agent-sessions/poll' })),
  scopes: ScopeList,
  expires_at: Type.String({ format: 'date-time' }),
  poll_interval_seconds: Type.Integer(),
});

export const PollBody = Type.Object({ auth_request_id: Type.String({ maxLength: 64 }), poll_token: Type.String({ maxLength: 128 }) });
export const Polled = Type.Object({
  auth_request_id: Type.String(),
  status: Type.Union(['pending', 'approved', 'denied', 'exchanged', 'revoked', 'expired'].map((s) => Type.Literal(s))),
  exchange_code: Type.Optional(Type.String({ description: 'Present once approved: send it to POST /agent-sessions/exchange' })),
  expires_at: Type.String({ format: 'date-time' }),
});

export const ExchangeBody = Type.Object({
  auth_request_id: Type.String({ maxLength: 64 }),
  exchange_code: Type.String({ maxLength: 128 }),
  code_verifier: Type.Optional(Type.String({ maxLength: 256 })),
});

export const AgentSessionTokens = Type.Object({
  id: Type.String(),
  access_token: Type.String({ description: 'aas_…: send as Authorization: Bearer' }),
  refresh_token: Type.String({ description: 'aar_…: trade for a new pair with POST /agent-sessions/refresh (single use)' }),
  scopes: ScopeList,
  access_expires_at: Type.String({ format: 'date-time' }),
  refresh_expires_at: Type.String({ format: 'date-time' }),
});

export const SessionAccount = Type.Object({ id: Type.String(), email: Type.String(), github_login: Type.Union([Type.String(), Type.Null()]), tier: Type.String() });
export const Exchanged = Type.Object({ agent_session: AgentSessionTokens, account: SessionAccount });
export const RefreshBody = Type.Object({ refresh_token: Type.String({ maxLength: 128 }) });
export const Refreshed = Type.Object({ agent_session: AgentSessionTokens });
export const RevokeBody = Type.Object({ session_id: Type.Optional(Type.String({ maxLength: 64, description: 'Default: the calling agent session' })) });
export const Revoked = Type.Object({ ok: Type.Boolean(), session_id: Type.String() });

export const AgentSessionView = Type.Object({
  id: Type.String(),
  client_type: Type.String(),
  client_name: Type.Union([Type.String(), Type.Null()]),
  scopes: ScopeList,
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  refresh_expires_at: Type.String({ format: 'date-time' }),
  current: Type.Boolean({ description: 'True for the session making this request' }),
});
export const AgentSessionList = Type.Object({ agent_sessions: Type.Array(AgentSessionView) });
