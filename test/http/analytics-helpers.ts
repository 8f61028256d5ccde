// Shared bits of the analytics HTTP tests: seeding events relative to the real clock, and requests.
import type { TestApp } from '../helpers/app.js';
import { type EventSpec, eventRows } from '../helpers/events.js';

export const DAY = 86_400_000;

/** An instant `days` days ago (fractions allowed), at least a minute in the past. */
export const daysAgo = (days: number): number => Date.now() - days * DAY - 60_000;

export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function seed(t: TestApp, projectId: string, specs: EventSpec[]): Promise<void> {
  await t.stores.events.insert(eventRows(projectId, specs));
}

export function get(t: TestApp, url: string, key: string | null = t.ownerKey) {
  return t.app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });
}

export function post(t: TestApp, url: string, payload: unknown, key: string | null = t.ownerKey) {
  return t.app.inject({
    method: 'POST', url,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}
