// The round-trip dataset: stored rows with the edge cases an export/import must keep exactly — unicode in every
// text column, nulls next to empty strings, a large properties object, old and recent timestamps, tied timestamps.
import type { EventRow } from '../../src/store/ports.js';
import { eventRow } from '../helpers/events.js';

const DAY = 86_400_000;

export function edgeCaseRows(projectId: string, now = Date.now()): EventRow[] {
  const big: Record<string, string> = {};
  for (let i = 0; i < 50; i++) big[`k${i}`] = `välue ${i} ${'x'.repeat(100)} "quoted", comma\nnewline`;
  const rows = [
    eventRow(projectId, { ts: now - 400 * DAY, event: 'page_view', user: 'u1', session: 's1', props: { path: '/old', referrer: '', title: 'Ünïcödé 日本語 🎉' }, country: 'DE' }),
    eventRow(projectId, { ts: now - 40 * DAY, event: 'signup', user: null, session: null, props: null }),
    eventRow(projectId, { ts: now - 40 * DAY, event: 'signup', user: 'u2', session: 's2', props: {} }),
    eventRow(projectId, { ts: now - 3 * DAY, event: 'événement "spécial", avec virgule', user: 'u,3', session: 's\n3', props: { nested: { a: [1, 2, { b: null }] }, n: 1.5, t: true } }),
    eventRow(projectId, { ts: now - 2 * DAY, event: 'big', user: 'u4', session: 's4', props: big }),
    eventRow(projectId, { ts: now - 60_000, event: 'page_view', user: ' padded ', session: 's5', props: { path: '/a?b=1&c=2', url: 'https://www.example.com/a?b=1', utm_source: 'news"letter', screen: '1920x1080', language: 'fr-FR' } }),
  ];
  rows[2].ts = rows[1].ts; // a timestamp tie: ids decide the order
  return rows;
}

/** A stored row as an export field map (timestamp for ts, no project_id), for comparisons. */
export function asExported(r: EventRow): Record<string, unknown> {
  const { project_id: _p, ts, properties, ...rest } = r;
  return { ...rest, timestamp: ts, properties: properties === null ? null : JSON.parse(properties) };
}
