// Shared bits of the ingestion tests: a browser User-Agent and request helpers over a real test app.
import type { TestApp } from '../helpers/app.js';

export const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export function post(t: TestApp, url: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST', url,
    headers: { 'user-agent': UA, 'content-type': 'text/plain;charset=UTF-8', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

export async function countRows(t: TestApp, projectId?: string): Promise<number> {
  const rows = await t.stores.events.query<{ n: number }>(projectId
    ? { sql: 'SELECT count(*) AS n FROM events WHERE project_id = $1', params: [projectId] }
    : { sql: 'SELECT count(*) AS n FROM events', params: [] });
  return Number(rows[0].n);
}

export async function listEvents(t: TestApp, project: string, query = '', key = t.ownerKey) {
  const res = await t.app.inject({ url: `/events?project=${project}${query}`, headers: { 'x-api-key': key } });
  if (res.statusCode !== 200) throw new Error(`GET /events ${res.statusCode} ${res.body}`);
  return res.json().events as Record<string, any>[];
}
