// Which events a /stream connection wants (E16 `events` and `filter`), parsed once into data and matched per event.
import { badRequest } from '../errors.js';
import { type LiveEvent, PROPERTY_KEY } from '../store/ports.js';

/** Exactly the `filters` object of the `connected` frame. */
export interface StreamFilter {
  events: string[] | null;
  filter: Record<string, string> | null;
}

/** Repeated query parameters arrive as arrays; treat them as one list. */
function joined(raw: unknown, sep: string): string {
  if (Array.isArray(raw)) return raw.filter((x) => typeof x === 'string').join(sep);
  return typeof raw === 'string' ? raw : '';
}

/** `events=a,b` and `filter=key:value;key2:value2` → StreamFilter; 400 on a malformed pair or key. */
export function parseStreamFilter(eventsParam: unknown, filterParam: unknown): StreamFilter {
  const names = [...new Set(joined(eventsParam, ',').split(',').map((s) => s.trim()).filter(Boolean))];
  const pairs = joined(filterParam, ';').split(';').filter((s) => s.trim() !== '');
  const filter: Record<string, string> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw badRequest('INVALID_FILTER_FIELD', `filter "${pair}" must be key:value (pairs separated by ";"), e.g. filter=path:/pricing;plan:pro`);
    }
    const key = pair.slice(0, colon).trim();
    if (!PROPERTY_KEY.test(key)) {
      throw badRequest('INVALID_PROPERTY_KEY', `filter key "${key}" must match ^[A-Za-z0-9_]{1,128}$ (a top-level property name)`);
    }
    filter[key] = pair.slice(colon + 1); // the value is compared as sent, colons and spaces included
  }
  return { events: names.length ? names : null, filter: pairs.length ? filter : null };
}

/** A property as the filter compares it: strings as is, other JSON values as their JSON text; absent → null. */
function asText(v: unknown): string | null {
  if (v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Build the per-event predicate once per connection. */
export function streamMatcher(f: StreamFilter): (e: LiveEvent) => boolean {
  const names = f.events ? new Set(f.events) : null;
  const conditions = f.filter ? Object.entries(f.filter) : [];
  return (e) => {
    if (names && !names.has(e.event)) return false;
    for (const [key, value] of conditions) {
      const props = e.properties;
      if (!props || !Object.hasOwn(props, key) || asText(props[key]) !== value) return false;
    }
    return true;
  };
}
