// Schemas shared by several route groups: one declaration each, used for validation, types and OpenAPI.
import { Type } from 'typebox';

export const ErrorBody = Type.Object({
  error: Type.String({ description: 'Stable machine code; branch on this' }),
  message: Type.String({ description: 'What went wrong and how to fix it' }),
}, { additionalProperties: true });

/** Error responses by status, for the OpenAPI document. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));

export const ProjectObject = Type.Object({
  id: Type.String({ examples: ['proj_8f2k1m'] }),
  name: Type.String(),
  project_token: Type.String({ description: 'Public ingestion token (aat_…)' }),
  allowed_origins: Type.String({ description: '"*" or comma-separated origins' }),
  created_at: Type.String({ format: 'date-time' }),
  total_events: Type.Integer(),
  total_reads: Type.Integer(),
  source_scan_id: Type.Union([Type.String(), Type.Null()]),
});

export const TierLimitsObject = Type.Object({
  max_projects: Type.Integer(),
  max_events_lifetime: Type.Integer(),
  max_events_per_month: Type.Integer(),
  max_reads_per_month: Type.Integer(),
  retention_days: Type.Integer(),
  rate_limit_rpm: Type.Integer(),
});

export const AccountObject = Type.Object({
  id: Type.String(),
  email: Type.String(),
  github_login: Type.Union([Type.String(), Type.Null()]),
  tier: Type.Union([Type.Literal('free'), Type.Literal('pro')]),
  created_at: Type.String({ format: 'date-time' }),
  projects_count: Type.Integer(),
  projects_limit: Type.Integer(),
  tier_limits: TierLimitsObject,
  monthly_spend_cap_dollars: Type.Union([Type.Number(), Type.Null()]),
});

export const AccountQuery = Type.Object({
  include: Type.Optional(Type.String({ description: '"usage" adds the usage object (beyond the contract); other values are ignored', examples: ['usage'] })),
});

const Counts = (what: string) => Type.Object({
  lifetime: Type.Integer(), this_month: Type.Integer({ description: 'Since the 1st of `month` (UTC)' }), today: Type.Integer(),
}, { description: what });

/** Usage to hold against tier_limits, all projects of the account (deleted ones included); it may lag by about a second. */
export const UsageObject = Type.Object({
  month: Type.String({ description: 'UTC calendar month of the this_month counts, YYYY-MM' }),
  events: Counts('Accepted events (by receive date): compare with max_events_lifetime and max_events_per_month'),
  reads: Counts('API reads of project data: compare with max_reads_per_month'),
}, { description: 'Present with ?include=usage' });

/** One server-computed anomaly flag, with the next step in its message. */
export const FlagObject = Type.Object({
  code: Type.String(), severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]), message: Type.String(),
});

/** Anomaly flags (additive, present only when non-empty). */
export const Flags = Type.Optional(Type.Array(FlagObject));

/** The pattern of a string that must not be blank (the error mapper answers it as `… must not be empty`). */
export const NOT_BLANK = '\\S';

export const ProjectQuery = Type.String({ description: 'Project name (or id)' });
export const SinceQuery = Type.String({ description: 'Window start: Nd (e.g. 7d, 0d = today) or an ISO date/date-time; default 7d' });

/** Row-list paging (/events, /sessions; beyond the contract): a window end and an opaque keyset cursor. */
export const UntilQuery = (rows: string) => Type.Union([Type.Integer(), Type.String()], {
  description: `Window end (optional): only ${rows} strictly before this instant — epoch ms, an ISO date/date-time (UTC when no offset) or Nd (N days ago). Must not be before the first day of since (else 400 MISSING_FIELDS), e.g. since=30d&until=2026-03-01T10:00:00Z`,
  examples: ['2026-03-01T10:00:00Z', 1772359200000],
});
export const CursorQuery = Type.String({ description: 'Next page: the next_cursor of the previous page, unchanged (keep the other parameters the same); rows sharing a timestamp are never skipped or repeated' });
export const NextCursor = Type.Optional(Type.String({ description: 'Present when the page is full: pass it as cursor for the next (older) page' }));

export const apiKeySecurity: { [name: string]: string[] }[] = [{ ApiKey: [] }, { ApiKeyQuery: [] }, { Bearer: [] }];

export const AccountResponse = Type.Intersect([AccountObject, Type.Object({ usage: Type.Optional(UsageObject), flags: Flags })]);
export const KeyRotatedResponse = Type.Object({ ok: Type.Boolean(), api_key: Type.String() });
export const DeletedResponse = Type.Object({ ok: Type.Boolean(), deleted: Type.String() });

/**
 * A body field's failure as the contract answers it (read by http/errors.ts): `errorCode`, the code, or one per
 * failing keyword (`{ required: …, default: … }`: `required` when the field is absent, `default` otherwise), and
 * `errorHint`, how to fix it. Non-enumerable like TypeBox's own `~kind`, so JSON Schema's readers (ajv, OpenAPI,
 * the MCP tools) never see them.
 */
export function failsWith<T extends object>(schema: T, errorCode: string | Readonly<Record<string, string>>, errorHint?: string): T {
  Object.defineProperty(schema, 'errorCode', { value: errorCode, enumerable: false });
  if (errorHint !== undefined) Object.defineProperty(schema, 'errorHint', { value: errorHint, enumerable: false });
  return schema;
}

/**
 * A field's own sentence for a failing keyword (read by http/errors.ts; `required` when the field is absent): a
 * text (a `type` failure adds what was sent, `, got an array`), or one made from the failing value. Non-enumerable
 * like `failsWith`'s annotations.
 */
export function failsSaying<T extends object>(schema: T, messages: Readonly<Record<string, string | ((value: unknown) => string)>>): T {
  Object.defineProperty(schema, 'errorMessage', { value: messages, enumerable: false });
  return schema;
}
