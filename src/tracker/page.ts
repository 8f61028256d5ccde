// Page lifecycle (§3.1, §3.3, §3.5, §3.6): page views, SPA routes, impressions, 404s, errors, performance,
// web vitals, scroll depth and time on page. start() opens a page; end() reports what it measured.
import { dataProps } from './clicks.js';
import { assign, attr, bare, doc, flag, loc, on, referrer, track, win, type Props } from './core.js';
import { redact } from './sanitize.js';

let path: string;
let errors: string[];
let io: IntersectionObserver | undefined;
const seen = new WeakSet<Element>();
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

function observe(type: string, fn: (e: any) => unknown, extra?: object): void {
  try {
    new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe(assign({ type, buffered: true }, extra));
  } catch {}
}

function scrolled(): void {
  depth = Math.max(depth, Math.min(100, Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100)));
}

function error(message: unknown, source?: string, line?: number, col?: number): void {
  const key = [message, source, line, col] + '';
  if (errors.length < 5 && errors.indexOf(key) < 0)
    errors.push(key), track('$error', { message: redact('' + message), source: source && bare(source), line, col });
}

/** A page begins: page_view, 404 check, impression scan (§3.6). */
export function start(initial?: boolean): void {
  path = loc.pathname;
  if (AA_FEATURES.errors) errors = [];
  if (AA_FEATURES.scroll) depth = reported = 0;
  if (AA_FEATURES.vitals) (lcp = cls = 0), (inp = []), (sent = !flag('track-vitals'));
  track('page_view', { page: doc.title });
  if (AA_FEATURES.notFound && flag('track-404') && (doc.querySelector('meta[name=aa-status][content="404"]') || (initial && timing().responseStatus == 404)))
    track('$404', { path, referrer, title: doc.title });
  if (io) doc.querySelectorAll('[data-aa-impression]').forEach((el) => seen.has(el) || (seen.add(el), io!.observe(el)));
}

/** A page ends (hidden, unload, SPA navigation): report pending time, vitals and scroll depth. */
export function end(): void {
  if (AA_FEATURES.heartbeat && visible) track('$time_on_page', { time_on_page: visible, path }), (visible = 0);
  // INP ≈ p98 of the interaction durations: the (n/50)-th longest.
  if (AA_FEATURES.vitals && !sent)
    (sent = inp.sort((a, b) => b - a)),
      track('$web_vitals', { path, cwv_lcp: Math.round(lcp), cwv_cls: +cls.toFixed(3), cwv_inp: inp[(inp.length / 50) | 0] || 0 });
  if (AA_FEATURES.scroll && flag('track-scroll-depth') && (scrolled(), depth > reported)) track('$scroll_depth', { scroll_depth: (reported = depth), path });
}

/** Wire every page-level listener the script's options ask for. */
export function watchPage(): void {
  const h = history as History & Props;
  const here = () => loc.pathname + loc.search + loc.hash;
  let last = here();
  const check = () => last != (last = here()) && (end(), start());
  io =
    win.IntersectionObserver &&
    new IntersectionObserver(
      (list) =>
        list.forEach(
          (e) =>
            e.intersectionRatio < 0.5 ||
            (io!.unobserve(e.target),
            track('$impression', dataProps(e.target, 'data-aa-impression', { name: e.target.getAttribute('data-aa-impression') }))),
        ),
      { threshold: 0.5 },
    );
  // A page restored from the back/forward cache is a new view.
  on(win, 'pageshow', (e: PageTransitionEvent) => e.persisted && start());
  if (flag('track-spa')) {
    for (const m of ['pushState', 'replaceState']) {
      const orig = h[m];
      h[m] = function (this: History) {
        orig.apply(this, arguments);
        check();
      };
    }
    on(win, 'popstate', check);
    on(win, 'hashchange', check);
  }
  if (AA_FEATURES.errors && flag('track-errors')) {
    on(win, 'error', (e: ErrorEvent) => error(e.message, e.filename, e.lineno, e.colno));
    on(win, 'unhandledrejection', (e: PromiseRejectionEvent) => error((e.reason && e.reason.message) || e.reason));
  }
  if (AA_FEATURES.performance && flag('track-performance')) {
    const report = () =>
      setTimeout(() => {
        const n = timing();
        const o: Props = { path: loc.pathname };
        for (const s of 'dns domainLookupEnd domainLookupStart,tcp connectEnd connectStart,ttfb responseStart,dom_interactive domInteractive,dom_complete domComplete,load loadEventEnd'.split(',')) {
          const [k, a, b] = s.split(' ');
          o['perf_' + k] = Math.round(n[a] - (n[b] || 0));
        }
        track('$performance', o);
      });
    doc.readyState == 'complete' ? report() : on(win, 'load', report);
  }
  if (AA_FEATURES.vitals && flag('track-vitals')) {
    observe('largest-contentful-paint', (e) => (lcp = e.startTime));
    observe('layout-shift', (e) => e.hadRecentInput || (cls += e.value));
    observe('event', (e) => e.interactionId && inp.push(e.duration), { durationThreshold: 40 });
  }
  if (AA_FEATURES.scroll && flag('track-scroll-depth')) on(win, 'scroll', scrolled);
  // Heartbeat: count visible seconds in steps of N ≥ 15.
  if (AA_FEATURES.heartbeat && +attr('heartbeat')! > 0) {
    const beat = Math.max(15, +attr('heartbeat')!);
    setInterval(() => doc.visibilityState == 'visible' && (visible += beat), beat * 1000);
  }
}
