// Page lifecycle (§3.1, §3.3, §3.5, §3.6): page views, SPA routes, impressions, 404s, errors and scroll depth.
// start() opens a page; end() reports what it measured (with heartbeat.ts and speed.ts).
import { dataProps } from './clicks.js';
import { bare, doc, flag, loc, on, track, win, type Props } from './core.js';
import { reportTime } from './heartbeat.js';
import { redact } from './sanitize.js';
import { navigation, reportVitals, resetVitals } from './speed.js';

let path: string;
let errors: string[];
let io: IntersectionObserver;
// Scroll depth: deepest and last reported percentage.
let depth: number;
let reported: number;

const scrolled = (): unknown => (depth = Math.max(depth, Math.min(100, Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100))));

/** $error, at most 5 per page and each (message, source, line, col) once. */
const error = (message: unknown, source?: string, line?: number, col?: number, key = [message, source, line, col] + ''): unknown =>
  errors[4] || errors.includes(key) || (errors.push(key), track('$error', { message: redact('' + message), source: source && bare(source), line, col }));

/** A page begins: page_view, 404 check (the response status only for the loaded page), impression scan (§3.6). */
export function start(initial?: unknown): void {
  path = loc.pathname;
  errors = [];
  depth = reported = 0;
  resetVitals();
  track('page_view', { page: doc.title });
  // $404's path, referrer and title are the automatic properties of the same names.
  if (flag('track-404') && (doc.querySelector('meta[name=aa-status][content="404"]') || (initial && navigation()?.responseStatus == 404))) track('$404');
  // observe() on an element already observed is a no-op: re-scanning after SPA navigation only adds new ones.
  doc.querySelectorAll('[data-aa-impression]').forEach((el) => io.observe(el));
}

/** A page ends (hidden, unload, SPA navigation): report time on page, web vitals and a deeper scroll. */
export function end(): void {
  reportTime(path);
  reportVitals(path);
  if (flag('track-scroll-depth') && (scrolled(), depth > reported)) track('$scroll_depth', { scroll_depth: (reported = depth), path });
}

/** Wire every page-level listener the script's options ask for. */
export function watchPage(): void {
  const h = history as History & Props;
  let last = loc.href;
  const check = () => last != (last = loc.href) && (end(), start());
  // Impressions: a mark on the element reports it once, however often it comes into view.
  io = new IntersectionObserver(
    (list) =>
      list.forEach((e) => {
        const el = e.target as Element & Props;
        e.intersectionRatio < 0.5 || el._aa || ((el._aa = 1), track('$impression', dataProps(el, 'data-aa-impression', { name: el.getAttribute('data-aa-impression') })));
      }),
    { threshold: 0.5 },
  );
  // A page restored from the back/forward cache is a new view.
  on(win, 'pageshow', (e: PageTransitionEvent) => e.persisted && start());
  if (flag('track-spa')) {
    for (const m of ['pushState', 'replaceState']) {
      const orig = h[m];
      h[m] = function (this: History) {
        orig.apply(this, arguments);
        try {
          check();
        } catch {}
      };
    }
    on(win, 'popstate', check);
    on(win, 'hashchange', check);
  }
  if (flag('track-errors')) {
    on(win, 'error', (e: ErrorEvent) => error(e.message, e.filename, e.lineno, e.colno));
    on(win, 'unhandledrejection', (e: PromiseRejectionEvent) => error(e.reason?.message || e.reason));
  }
  if (flag('track-scroll-depth')) on(win, 'scroll', scrolled);
}
