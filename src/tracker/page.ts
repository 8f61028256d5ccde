// Page lifecycle (§3.1, §3.3, §3.5, §3.6): page views, SPA routes, impressions, 404s, errors, performance,
// web vitals, scroll depth and time on page. start() opens a page; end() reports what it measured.
import { dataProps } from './clicks.js';
import { attr, bare, doc, flag, loc, on, track, win, type Props } from './core.js';
import { redact } from './sanitize.js';

let path: string;
let errors: string[];
let io: IntersectionObserver;
// Scroll depth: deepest and last reported percentage. Time on page: visible seconds not yet reported.
let depth: number;
let reported: number;
let visible = 0;
// Web vitals of the current page (LCP, CLS, interaction durations); `sent` once reported or not asked for.
let lcp: number;
let cls: number;
let inp: number[];
let sent: unknown;

const timing = (): any => performance.getEntriesByType('navigation')[0] || {};

/** Buffered PerformanceObserver; browsers without the entry type only warn, old ones may throw. */
const observe = (type: string, fn: (e: any) => unknown): void => {
  try {
    new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true, durationThreshold: 40 } as object);
  } catch {}
};

const scrolled = (): unknown => (depth = Math.max(depth, Math.min(100, Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100))));

/** $error, at most 5 per page and each (message, source, line, col) once. */
const error = (message: unknown, source?: string, line?: number, col?: number, key = [message, source, line, col] + ''): unknown =>
  errors[4] || errors.includes(key) || (errors.push(key), track('$error', { message: redact('' + message), source: source && bare(source), line, col }));

/** A page begins: page_view, 404 check, impression scan (§3.6). */
export function start(initial?: unknown): void {
  path = loc.pathname;
  errors = [];
  depth = reported = lcp = cls = 0;
  inp = [];
  sent = !flag('track-vitals');
  track('page_view', { page: doc.title });
  // $404's path, referrer and title are the automatic properties of the same names.
  if (flag('track-404') && (doc.querySelector('meta[name=aa-status][content="404"]') || (initial && timing().responseStatus == 404))) track('$404');
  // observe() on an element already observed is a no-op: re-scanning after SPA navigation only adds new ones.
  doc.querySelectorAll('[data-aa-impression]').forEach((el) => io.observe(el));
}

/** A page ends (hidden, unload, SPA navigation): report pending time, vitals and scroll depth. */
export function end(): void {
  if (visible) track('$time_on_page', { time_on_page: visible, path }), (visible = 0);
  // INP ≈ p98 of the interaction durations: the (n/50)-th longest.
  if (!sent)
    (sent = inp.sort((a, b) => b - a)),
      track('$web_vitals', { path, cwv_lcp: Math.round(lcp), cwv_cls: +cls.toFixed(3), cwv_inp: inp[(inp.length / 50) | 0] || 0 });
  if (flag('track-scroll-depth') && (scrolled(), depth > reported)) track('$scroll_depth', { scroll_depth: (reported = depth), path });
}

/** Wire every page-level listener the script's options ask for. */
export function watchPage(): void {
  const h = history as History & Props;
  let last = loc.href;
  const check = () => last != (last = loc.href) && (end(), start());
  let beat: any = attr('heartbeat');
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
  if (flag('track-performance')) {
    // After the load event: loadEventEnd is still 0 while it runs. The path is the automatic property.
    const report = () =>
      setTimeout(() => {
        const n = timing();
        const r = Math.round;
        track('$performance', {
          perf_dns: r(n.domainLookupEnd - n.domainLookupStart),
          perf_tcp: r(n.connectEnd - n.connectStart),
          perf_ttfb: r(n.responseStart),
          perf_dom_interactive: r(n.domInteractive),
          perf_dom_complete: r(n.domComplete),
          perf_load: r(n.loadEventEnd),
        });
      });
    doc.readyState == 'complete' ? report() : on(win, 'load', report);
  }
  if (flag('track-vitals')) {
    observe('largest-contentful-paint', (e) => (lcp = e.startTime));
    observe('layout-shift', (e) => e.hadRecentInput || (cls += e.value));
    observe('event', (e) => e.interactionId && inp.push(e.duration));
  }
  if (flag('track-scroll-depth')) on(win, 'scroll', scrolled);
  // Heartbeat: count visible seconds in steps of N ≥ 15.
  if (beat > 0) (beat = Math.max(15, beat)), setInterval(() => doc.visibilityState == 'visible' && (visible += beat), beat * 1000);
}
