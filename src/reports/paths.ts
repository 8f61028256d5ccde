// POST /paths (Appendix A): session-local journey trees from the top entry pages to a goal event.
// SQL picks the entry pages (the aggregate pipeline) and the bounded candidate sessions with their
// node-producing events (query/sql/paths.ts); the trees are folded here, the same on every engine.
import type { Static } from 'typebox';
import { type EntryPath, type PathNode, PATHS_BOUNDS, type PathsBody, type PathsShape } from '../schemas/paths.js';
import { badRequest } from '../errors.js';
import { COMPARISON_PERIODS } from '../query/parse/period.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { compareLabels, ratio } from '../query/shape.js';
import { compilePathEvents, compilePathSessions } from '../query/sql/paths.js';
import { NON_INTERACTIVE_EVENTS } from '../store/ports.js';
import { sinceWindow, today } from './window.js';

export const PATHS_SINCE = COMPARISON_PERIODS;

/**
 * Node-producing events read per session: 8 per possible step (48 at max_steps 5). Enough unless a
 * session repeats the same step for dozens of events; such a session is counted as truncated. With the
 * session cap this bounds the rows one request loads to candidate_session_cap × (this + 1).
 */
export const eventsPerSession = (maxSteps: number): number => 8 * (maxSteps + 1);

export type { EntryPath, PathNode };
export type PathNodeType = PathNode['type'];
export type ExitPageRow = EntryPath['exit_pages'][number];
export type PathsReport = Omit<PathsShape, 'project_context'>;

export interface PathsOptions {
  goalEvent: string;
  since: (typeof PATHS_SINCE)[number];
  maxSteps: number;
  entryLimit: number;
  pathLimit: number;
  candidateSessionCap: number;
}

/** A body the route's PathsBody schema accepted as options: the defaults filled, `since` checked against its choices. */
export function parsePathsBody(body: Static<typeof PathsBody>): PathsOptions {
  const since = body.since ?? '30d';
  if (!(PATHS_SINCE as readonly string[]).includes(since)) {
    throw badRequest('MISSING_FIELDS', `since must be one of: ${PATHS_SINCE.join(', ')} (default 30d); got ${JSON.stringify(body.since)}`);
  }
  const bound = (name: keyof typeof PATHS_BOUNDS) => body[name] ?? PATHS_BOUNDS[name][2];
  return {
    goalEvent: body.goal_event, since: since as PathsOptions['since'],
    maxSteps: bound('max_steps'), entryLimit: bound('entry_limit'), pathLimit: bound('path_limit'), candidateSessionCap: bound('candidate_session_cap'),
  };
}

interface SessionEvent { event: string; page: string | null }

interface SessionPath {
  exitPage: string | null;
  nodes: { type: PathNodeType; value: string; exitPage?: string | null }[];
  converted: boolean;
}

/** The value of a drop_off/truncated node whose session has no exit page. */
export const UNKNOWN_PAGE = '(unknown)';
/** Passive events: the non-interactive names of §1.6 other than page_view, never a node (unless the goal). */
const PASSIVE = new Set<string>(NON_INTERACTIVE_EVENTS.filter((e) => e !== 'page_view'));

/**
 * One session's path: goal_event → `goal` (the path ends there); a page_view of another page than the
 * entry page → `page`; any other interactive event → `event`; passive events and page_views of the entry
 * page are skipped, and a node equal to the previous node is collapsed. Without the goal the path ends in
 * `truncated` when a further step exists past max_steps (or the per-session event cap hid the rest),
 * else in `drop_off`; both carry the session's exit page.
 */
export function sessionPath(
  s: { entryPage: string; exitPage: string | null; events: SessionEvent[]; capped: boolean }, goalEvent: string, maxSteps: number,
): SessionPath {
  const nodes: SessionPath['nodes'] = [];
  for (const e of s.events) {
    let node: { type: PathNodeType; value: string } | null;
    if (e.event === goalEvent) node = { type: 'goal', value: e.event };
    else if (e.event === 'page_view') node = e.page !== null && e.page !== s.entryPage ? { type: 'page', value: e.page } : null;
    else node = PASSIVE.has(e.event) ? null : { type: 'event', value: e.event };
    if (!node) continue;
    const prev = nodes[nodes.length - 1];
    if (prev && prev.type === node.type && prev.value === node.value) continue;
    if (nodes.length >= maxSteps) return end(nodes, 'truncated', s.exitPage);
    nodes.push(node);
    if (node.type === 'goal') return { exitPage: s.exitPage, nodes, converted: true };
  }
  return end(nodes, s.capped ? 'truncated' : 'drop_off', s.exitPage);
}

function end(nodes: SessionPath['nodes'], type: 'truncated' | 'drop_off', exitPage: string | null): SessionPath {
  return { exitPage, nodes: [...nodes, { type, value: exitPage ?? UNKNOWN_PAGE, exitPage }], converted: false };
}

interface Acc { sessions: number; conversions: number }
interface TreeAcc extends Acc { type: PathNodeType; value: string; exitPage?: string | null; children: Map<string, TreeAcc> }

const count = (a: Acc, converted: boolean) => {
  a.sessions += 1;
  if (converted) a.conversions += 1;
};

/**
 * Most sessions first, then most conversions, then the label ascending in byte order (as SQL engines sort
 * text): deterministic. Labels are encoded once per item, not per comparison.
 */
function byWeight<T extends Acc>(items: T[], label: (x: T) => string): T[] {
  const keyed = items.map((item) => ({ item, key: Buffer.from(label(item)) }));
  keyed.sort((a, b) => b.item.sessions - a.item.sessions || b.item.conversions - a.item.conversions || Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.item);
}

/** Type, value and exit page as one sortable, collision-free key (NUL never occurs in a page or event name). */
const nodeKey = (n: { type: string; value: string; exitPage?: string | null }) => `${n.type}\u0000${n.value}\u0000${n.exitPage ?? ''}`;

function finishTree(level: Map<string, TreeAcc>, pathLimit: number): PathNode[] {
  return byWeight([...level.values()], nodeKey)
    .slice(0, pathLimit)
    .map((n) => {
      const out: PathNode = {
        type: n.type, value: n.value, sessions: n.sessions, conversions: n.conversions,
        conversion_rate: ratio(n.conversions, n.sessions, 3), children: finishTree(n.children, pathLimit),
      };
      if (n.exitPage !== undefined) out.exit_page = n.exitPage;
      return out;
    });
}

interface EntryAcc extends Acc { entryPage: string; exits: Map<string | null, Acc & { exitPage: string | null }>; tree: Map<string, TreeAcc> }

/** Fold session paths into per-entry trees and exit-page tables. */
export function buildEntryPaths(paths: (SessionPath & { entryPage: string })[], pathLimit: number): EntryPath[] {
  const entries = new Map<string, EntryAcc>();
  for (const p of paths) {
    let entry = entries.get(p.entryPage);
    if (!entry) entries.set(p.entryPage, (entry = { entryPage: p.entryPage, sessions: 0, conversions: 0, exits: new Map(), tree: new Map() }));
    count(entry, p.converted);
    let exit = entry.exits.get(p.exitPage);
    if (!exit) entry.exits.set(p.exitPage, (exit = { exitPage: p.exitPage, sessions: 0, conversions: 0 }));
    count(exit, p.converted);
    let level = entry.tree;
    for (const n of p.nodes) {
      const key = nodeKey(n);
      let node = level.get(key);
      if (!node) {
        node = { type: n.type, value: n.value, sessions: 0, conversions: 0, children: new Map() };
        if (n.exitPage !== undefined) node.exitPage = n.exitPage;
        level.set(key, node);
      }
      count(node, p.converted);
      level = node.children;
    }
  }
  return byWeight([...entries.values()], (x) => x.entryPage)
    .map((e) => ({
      entry_page: e.entryPage,
      sessions: e.sessions,
      conversions: e.conversions,
      conversion_rate: ratio(e.conversions, e.sessions, 3),
      // Most sessions first, then most drop-offs, then most conversions, then the page (null last).
      exit_pages: [...e.exits.values()]
        .sort((a, b) => b.sessions - a.sessions || (b.sessions - b.conversions) - (a.sessions - a.conversions)
          || b.conversions - a.conversions || compareLabels(a.exitPage, b.exitPage))
        .map((x) => ({
          exit_page: x.exitPage, sessions: x.sessions, conversions: x.conversions, conversion_rate: ratio(x.conversions, x.sessions, 3),
          drop_offs: x.sessions - x.conversions, drop_off_rate: ratio(x.sessions - x.conversions, x.sessions, 3),
        })),
      tree: finishTree(e.tree, pathLimit),
    }));
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function pathsReport(ctx: ReadContext, input: { projectId: string; project: string; options: PathsOptions }): Promise<PathsReport> {
  const o = input.options;
  const { from } = sinceWindow(ctx, o.since);
  const base = {
    project: input.project, goal_event: o.goalEvent, period: { from, to: today(ctx) },
    bounds: { max_steps: o.maxSteps, entry_limit: o.entryLimit, path_limit: o.pathLimit, candidate_session_cap: o.candidateSessionCap },
  };
  // (a) The top entry pages by sessions in the window (ties: page ascending), through the aggregate pipeline.
  const top = await runAggregate(ctx, {
    scope: 'sessions', projectId: input.projectId, window: { from },
    filters: [{ op: 'set', field: 'session.entry_page', value: null }], dimensions: ['entry_page'],
    metrics: ['sessions'], countMode: 'raw', order: [{ key: 'sessions', dir: 'desc' }], limit: o.entryLimit,
  });
  const entryPages = top.map((r) => String(r.entry_page));
  if (entryPages.length === 0) return { ...base, entry_paths: [] };

  // (b) The most recent candidate sessions starting there, then their first node-producing events (one
  // past the per-session cap, which says the session goes on beyond what is read).
  const spec = { projectId: input.projectId, from, entryPages, sessionCap: o.candidateSessionCap };
  const sessions = await ctx.store.query<Record<string, unknown>>(compilePathSessions(ctx.dialect, spec));
  if (sessions.length === 0) return { ...base, entry_paths: [] };
  const perSession = eventsPerSession(o.maxSteps);
  const last = sessions[sessions.length - 1];
  const rows = await ctx.store.query<Record<string, unknown>>(compilePathEvents(ctx.dialect, {
    ...spec, goalEvent: o.goalEvent, eventsPerSession: perSession + 1, last: { startTime: Number(last.start_time), sessionId: String(last.session_id) },
  }));
  const events = new Map<string, SessionEvent[]>();
  for (const r of rows) {
    const id = String(r.session_id);
    let list = events.get(id);
    if (!list) events.set(id, (list = []));
    list.push({ event: String(r.event), page: text(r.page) }); // rows come in position order per session
  }
  const paths = sessions.map((s) => {
    const entryPage = String(s.entry_page);
    const list = events.get(String(s.session_id)) ?? [];
    const capped = list.length > perSession;
    return { entryPage, ...sessionPath({ entryPage, exitPage: text(s.exit_page), events: list.slice(0, perSession), capped }, o.goalEvent, o.maxSteps) };
  });
  return { ...base, entry_paths: buildEntryPaths(paths, o.pathLimit) };
}
