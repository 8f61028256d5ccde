// E17 /live: the real-time snapshot, computed from the live ring buffer only (never the database).
import type { LiveResponse } from '../schemas/realtime.js';
import type { ReportBody } from './body.js';
import { clampInt } from '../query/parse/limit.js';
import type { LiveEvent } from '../store/ports.js';

export const LIVE_WINDOW = { min: 10, max: 300, fallback: 60 } as const;
const TOP = 10;

/** `window` as sent → effective seconds: non-numeric → 60, else truncated and clamped to [10, 300]. */
export const liveWindowSeconds = (raw: unknown): number => clampInt(raw, LIVE_WINDOW);

export type LiveSnapshot = ReportBody<typeof LiveResponse>;

/** Count desc, then label asc (the contract's tie-break), first TOP. */
function top(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP);
}

/**
 * `buffered` is the project's buffer in arrival order. An event is in the window when its
 * timestamp ≥ now − window; "recent" means newest timestamp first, later arrival first on ties.
 */
export function liveSnapshot(project: string, buffered: LiveEvent[], windowSeconds: number, now: number): LiveSnapshot {
  const from = now - windowSeconds * 1000;
  const inWindow: { e: LiveEvent; seq: number }[] = [];
  const users = new Set<string>();
  const sessions = new Set<string>();
  const eventCounts = new Map<string, number>();
  const pageUsers = new Map<string, Set<string>>();
  buffered.forEach((e, seq) => {
    if (e.timestamp < from) return;
    inWindow.push({ e, seq });
    if (e.user_id !== null) users.add(e.user_id);
    if (e.session_id !== null) sessions.add(e.session_id);
    eventCounts.set(e.event, (eventCounts.get(e.event) ?? 0) + 1);
    const path = e.properties?.path;
    if (typeof path === 'string' && path !== '') {
      let seen = pageUsers.get(path);
      if (!seen) pageUsers.set(path, (seen = new Set()));
      if (e.user_id !== null) seen.add(e.user_id);
    }
  });

  const recent = inWindow
    .sort((a, b) => b.e.timestamp - a.e.timestamp || b.seq - a.seq)
    .slice(0, TOP)
    .map(({ e }) => ({
      event: e.event, properties: e.properties, user_id: e.user_id,
      session_id: e.session_id, timestamp: e.timestamp, country: e.country,
    }));

  return {
    project,
    window_seconds: windowSeconds,
    timestamp: now,
    active_visitors: users.size,
    active_sessions: sessions.size,
    events_per_minute: Math.round((inWindow.length * 60) / windowSeconds),
    top_pages: top(new Map([...pageUsers].map(([p, seen]) => [p, seen.size]))).map(([path, visitors]) => ({ path, visitors })),
    top_events: top(eventCounts).map(([event, count]) => ({ event, count })),
    recent_events: recent,
  };
}
