// GET /bot-traffic and GET /account/bot-traffic (Appendix A, beyond the seed): the daily aggregates of
// bot-filtered ingestion requests (Appendix D) for the current N days against the N days before.
// Pure: the caller reads the rows (stored + not yet flushed, see DropCounters) for the tenant's projects.
import { parseStrictLimit } from '../query/parse/limit.js';
import { COMPARISON_PERIODS, type ComparisonPeriod, parseComparisonPeriod, periodDays } from '../query/parse/period.js';
import { compareLabels, delta, percent } from '../query/shape.js';
import type { AccountBotTrafficResponse, BotTrafficResponse } from '../schemas/bot-traffic.js';
import type { BotTrafficDay, Project } from '../store/ports.js';
import type { ReportBody } from './body.js';
import { addDays } from './window.js';

export const BOT_TRAFFIC_PERIODS = COMPARISON_PERIODS;
export const BOT_TRAFFIC_LIMIT = { min: 1, max: 50, fallback: 10 } as const;

export type BotPeriod = ComparisonPeriod;

interface Counts { requests: number; dropped_events: number }

export type ProjectBotTraffic = ReportBody<typeof BotTrafficResponse>;
export type AccountBotTraffic = ReportBody<typeof AccountBotTrafficResponse>;

/** Epoch ms → ISO 8601 (UTC), the format of every `*_at` field of the API. */
const iso = (ms: number): string => new Date(ms).toISOString();

/** Both parameters (`period` default 7d; `limit` 1–50, default 10, never clamped), validated together before any read. */
export function botTrafficParams(q: { period?: unknown; limit?: unknown }, now = Date.now()): { period: BotPeriod; limit: number } {
  return { period: parseComparisonPeriod(q.period, now), limit: parseStrictLimit(q.limit, BOT_TRAFFIC_LIMIT) };
}

/** The fields both scopes share, from rows dated previous_from … to. */
function common(rows: BotTrafficDay[], period: BotPeriod, limit: number) {
  const current = rows.filter((r) => r.date >= period.from && r.date <= period.to);
  const previous = rows.filter((r) => r.date >= period.previous_from && r.date <= period.previous_to);
  const sum = (rs: BotTrafficDay[], k: keyof Counts) => rs.reduce((n, r) => n + r[k], 0);
  const total = sum(current, 'requests');
  const lastSeen = current.reduce((m, r) => Math.max(m, r.last_seen_at), 0);

  const byCategory = new Map<string, Counts>();
  const byActor = new Map<string, Counts & { actor: string; category: string; last: number }>();
  const byDay = new Map<string, Counts>();
  for (const r of current) {
    const c = byCategory.get(r.category) ?? { requests: 0, dropped_events: 0 };
    c.requests += r.requests;
    c.dropped_events += r.dropped_events;
    byCategory.set(r.category, c);
    const key = `${r.category}|${r.actor}`;
    const a = byActor.get(key) ?? { actor: r.actor, category: r.category, requests: 0, dropped_events: 0, last: 0 };
    a.requests += r.requests;
    a.dropped_events += r.dropped_events;
    a.last = Math.max(a.last, r.last_seen_at);
    byActor.set(key, a);
    const d = byDay.get(r.date) ?? { requests: 0, dropped_events: 0 };
    d.requests += r.requests;
    d.dropped_events += r.dropped_events;
    byDay.set(r.date, d);
  }

  // Most requests first; ties: more dropped events, then names byte-wise (deterministic on every engine).
  const categories = [...byCategory]
    .map(([category, c]) => ({ category, requests: c.requests, dropped_events: c.dropped_events, share_pct: percent(c.requests, total) }))
    .filter((c) => c.requests > 0)
    .sort((a, b) => b.requests - a.requests || b.dropped_events - a.dropped_events || compareLabels(a.category, b.category));
  const actors = [...byActor.values()]
    .filter((a) => a.requests > 0)
    .sort((a, b) => b.requests - a.requests || b.dropped_events - a.dropped_events || compareLabels(a.actor, b.actor) || compareLabels(a.category, b.category))
    .slice(0, limit)
    .map((a) => ({ actor: a.actor, category: a.category, requests: a.requests, dropped_events: a.dropped_events, last_seen_at: iso(a.last) }));

  const days = periodDays(period);
  const time_series = Array.from({ length: days }, (_, i) => {
    const date = addDays(period.from, i);
    const d = byDay.get(date);
    return { date, requests: d?.requests ?? 0, dropped_events: d?.dropped_events ?? 0 };
  });

  return {
    current,
    total,
    summary: {
      automated_requests: delta(total, sum(previous, 'requests')),
      dropped_events: delta(sum(current, 'dropped_events'), sum(previous, 'dropped_events')),
      last_seen_at: lastSeen > 0 ? iso(lastSeen) : null,
    },
    categories,
    actors,
    time_series,
  };
}

/** One project's report; `rows` are that project's rows. */
export function projectBotTraffic(rows: BotTrafficDay[], period: BotPeriod, limit: number): ProjectBotTraffic {
  const { summary, categories, actors, time_series } = common(rows, period, limit);
  return { scope: 'project', period, summary, categories, actors, time_series };
}

/**
 * The account's report over `projects` (its non-deleted projects: the tenant scope is the caller's).
 * projects[] ranks every one of them by requests (ties: name, then id), like /account/all-sites;
 * remaining_projects counts those left out by `limit`.
 */
export function accountBotTraffic(rows: BotTrafficDay[], projects: Project[], period: BotPeriod, limit: number): AccountBotTraffic {
  const ids = new Set(projects.map((p) => p.id));
  const mine = rows.filter((r) => ids.has(r.project_id));
  const { current, total, summary, categories, actors, time_series } = common(mine, period, limit);
  const perProject = new Map<string, Counts & { last: number }>();
  for (const r of current) {
    const p = perProject.get(r.project_id) ?? { requests: 0, dropped_events: 0, last: 0 };
    p.requests += r.requests;
    p.dropped_events += r.dropped_events;
    p.last = Math.max(p.last, r.last_seen_at);
    perProject.set(r.project_id, p);
  }
  const ranked = projects
    .map((p) => ({ p, c: perProject.get(p.id) ?? { requests: 0, dropped_events: 0, last: 0 } }))
    .sort((a, b) => b.c.requests - a.c.requests || compareLabels(a.p.name, b.p.name) || compareLabels(a.p.id, b.p.id));
  const shown = ranked.slice(0, limit).map(({ p, c }) => ({
    id: p.id, name: p.name, requests: c.requests, dropped_events: c.dropped_events,
    share_pct: percent(c.requests, total), last_seen_at: c.last > 0 ? iso(c.last) : null,
  }));
  return {
    scope: 'account',
    period,
    summary: { ...summary, active_projects: ranked.filter((r) => r.c.requests > 0).length, total_projects: projects.length },
    categories,
    actors,
    time_series,
    projects: shown,
    remaining_projects: projects.length - shown.length,
  };
}
