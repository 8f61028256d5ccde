// Keyset paging of the row lists (/events, /sessions; beyond the contract): an opaque cursor names the last
// row of a page by its sort key, so the next page starts strictly after it — rows that share a timestamp
// are never skipped or repeated, which a bare `until` timestamp cannot promise.
import { badRequest } from '../errors.js';

/** Sort key of the last row returned: its time (timestamp or start_time, epoch ms) and its id (event id or session_id). */
export interface PageKey {
  time: number;
  id: string;
}

/** The cursor handed out as `next_cursor`: base64url of the JSON pair [time, id]. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.time, key.id])).toString('base64url');
}

/** A `cursor` parameter: absent or empty → undefined; anything this server did not issue → 400 MISSING_FIELDS. */
export function parseCursor(value: unknown): PageKey | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let pair: unknown = null;
  if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,700}$/.test(value)) {
    try {
      pair = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      pair = null;
    }
  }
  if (!Array.isArray(pair) || pair.length !== 2 || !Number.isSafeInteger(pair[0]) || typeof pair[1] !== 'string' || pair[1].length > 256) {
    throw badRequest('MISSING_FIELDS', 'cursor must be a next_cursor value from a previous page of this list, passed back unchanged');
  }
  return { time: pair[0] as number, id: pair[1] };
}

/** `next_cursor` for a page: present only when the page is full (more rows may follow). */
export function nextCursor<R>(rows: R[], limit: number, keyOf: (row: R) => PageKey): { next_cursor?: string } {
  return rows.length === limit && rows.length > 0 ? { next_cursor: encodeCursor(keyOf(rows[rows.length - 1])) } : {};
}
