// The validate step: request bodies to well-typed events with the contract's exact limits (E1, E2, §1.7).
// Reads only own properties, so `__proto__` tricks in a body can never supply a field.
import { type Drop, invalid } from './drop.js';

export const MAX_BATCH = 100;
export const MAX_STRING = 256;
export const MAX_PROPERTIES_BYTES = 8192;
export const PAST_WINDOW_MS = 30 * 86_400_000;
export const FUTURE_WINDOW_MS = 5 * 60_000;

export type Json = Record<string, unknown>;

export interface ValidEvent {
  event: string;
  properties: Json | null;
  /** The properties as JSON text (what is stored), null when none. */
  propertiesJson: string | null;
  user_id: string | null;
  session_id: string | null;
  ts: number;
}

export const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Length in characters (code points), as the contract's "≤ 256 chars" means. */
const charLength = (s: string): number => (s.length <= MAX_STRING ? s.length : [...s].length);

/** Parse a raw body (any Content-Type) as one JSON object. */
export function parseBody(raw: unknown): Json | Drop {
  if (typeof raw !== 'string' || raw.trim() === '') return invalid('INVALID_BODY', 'request body must be a JSON object, e.g. {"token":"aat_…","event":"page_view"}');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return invalid('INVALID_BODY', 'request body is not valid JSON; send a JSON object (any Content-Type is accepted)');
  }
  if (!isObject(body)) return invalid('INVALID_BODY', 'request body must be a JSON object, not an array or a scalar');
  return body;
}

/** The shape checks of /track/batch that come before the token (Q10): events 1–100 objects, one token. */
export function batchShape(body: Json, queryToken: unknown): { items: Json[]; token: unknown } | Drop {
  const events = own(body, 'events');
  if (!Array.isArray(events) || events.length === 0) return invalid('INVALID_BODY', 'events array required: send {"events":[{…},…]} with 1 to 100 events');
  if (events.length > MAX_BATCH) {
    return invalid('BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH} events, got ${events.length}; split the buffer into several requests of up to ${MAX_BATCH}`);
  }
  const fallback = own(body, 'token') ?? queryToken;
  let token: unknown;
  for (let i = 0; i < events.length; i++) {
    const item: unknown = events[i];
    if (!isObject(item)) return invalid('INVALID_BODY', `events[${i}] must be an object with token, event, properties, …`);
    const t = own(item, 'token') ?? fallback;
    if (i === 0) token = t;
    else if (t !== token) return invalid('INVALID_BODY', `events[${i}] carries a different project token than events[0]; all events of a batch must use the same token`);
  }
  return { items: events as Json[], token };
}

function optionalId(item: Json, field: 'user_id' | 'session_id', at: string): string | null | Drop {
  const v = own(item, field);
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return invalid('INVALID_BODY', `${at}${field} must be a string or null`);
  if (charLength(v) > MAX_STRING) return invalid('INVALID_BODY', `${at}${field} is longer than ${MAX_STRING} characters`);
  if (UNPAIRED.test(v)) return invalid('INVALID_BODY', `${at}${field} contains an unpaired UTF-16 surrogate; send valid Unicode text`);
  return v;
}

function hasProtoKey(v: unknown): boolean {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (isObject(x)) {
      for (const k of Object.keys(x)) {
        if (k === '__proto__') return true;
        stack.push(x[k]);
      }
    }
  }
  return false;
}

function properties(item: Json, at: string): { obj: Json | null; json: string | null } | Drop {
  const v = own(item, 'properties');
  if (v === undefined || v === null) return { obj: null, json: null };
  if (!isObject(v)) return invalid('INVALID_BODY', `${at}properties must be a JSON object (not an array or a scalar) or null`);
  let json: string;
  try {
    json = JSON.stringify(v);
  } catch {
    return invalid('INVALID_BODY', `${at}properties is nested too deeply; keep it a small, flat object`);
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long text needs the exact (whole-string) count.
  const bytes = json.length * 3 <= MAX_PROPERTIES_BYTES ? 0 : Buffer.byteLength(json);
  if (bytes > MAX_PROPERTIES_BYTES) return invalid('INVALID_BODY', `${at}properties is ${bytes} bytes of JSON; the limit is ${MAX_PROPERTIES_BYTES} bytes`);
  // "__proto__" as a key invites prototype pollution in whoever merges these objects later (SSE clients, reports).
  if (json.includes('"__proto__"') && hasProtoKey(v)) return invalid('INVALID_BODY', `${at}properties must not use "__proto__" as a key`);
  return { obj: v, json };
}

function timestamp(item: Json, at: string, now: number): number | Drop {
  const v = own(item, 'timestamp');
  if (v === undefined || v === null || v === 0) return now;
  if (typeof v !== 'number' || !Number.isFinite(v)) return invalid('INVALID_BODY', `${at}timestamp must be epoch milliseconds (a number) or null`);
  const ts = Math.floor(v);
  if (ts < now - PAST_WINDOW_MS || ts > now + FUTURE_WINDOW_MS) {
    return invalid('INVALID_BODY', `${at}timestamp ${v} is outside the accepted window (30 days back to 5 minutes ahead of ${new Date(now).toISOString()}); send epoch milliseconds, or omit it to use the receive time`);
  }
  return ts;
}

/** Field validation of one event (E1 step 6); `index` names the failing batch item in messages. */
export function validateEvent(item: Json, now: number, index: number | null = null): ValidEvent | Drop {
  const at = index === null ? '' : `events[${index}].`;
  const event = own(item, 'event');
  if (event === undefined || event === null || event === '') return invalid('MISSING_FIELDS', `${at}event is required (the event name, e.g. "page_view")`);
  if (typeof event !== 'string') return invalid('INVALID_BODY', `${at}event must be a string`);
  if (charLength(event) > MAX_STRING) return invalid('INVALID_BODY', `${at}event is longer than ${MAX_STRING} characters`);
  if (UNPAIRED.test(event)) return invalid('INVALID_BODY', `${at}event contains an unpaired UTF-16 surrogate; send valid Unicode text`);
  const user_id = optionalId(item, 'user_id', at);
  if (typeof user_id === 'object' && user_id !== null) return user_id;
  const session_id = optionalId(item, 'session_id', at);
  if (typeof session_id === 'object' && session_id !== null) return session_id;
  const props = properties(item, at);
  if ('dropped' in props) return props;
  const ts = timestamp(item, at, now);
  if (typeof ts !== 'number') return ts;
  return { event, properties: props.obj, propertiesJson: props.json, user_id, session_id, ts };
}
