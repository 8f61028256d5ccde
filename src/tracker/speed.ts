// Page-speed captures (§3.1 data-track-performance, data-track-vitals): navigation timing and Core Web Vitals.
import { doc, flag, on, track, win } from './core.js';

/** The navigation timing entry of the page load, if the browser has one. */
export const navigation = (): PerformanceNavigationTiming | undefined => performance.getEntriesByType('navigation')[0] as any;

// Web vitals of the current page: LCP (unset until something is painted), CLS, interaction durations;
// `sent` once reported, or when vitals are not asked for.
let lcp: number | undefined;
let cls: number;
let inp: number[];
let sent: unknown;

/** Buffered PerformanceObserver (event entries from 16 ms, the smallest threshold); browsers without the entry
 *  type only warn, older ones may throw. */
const observe = (type: string, fn: (e: any) => unknown): void => {
  try {
    new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true, durationThreshold: 16 } as object);
  } catch {}
};

/** $performance once the load event is over; start the web-vitals observers. */
export function watchSpeed(): void {
  if (flag('track-performance')) {
    // loadEventEnd is still 0 while load listeners run, hence the timeout. path is the automatic property.
    const report = () =>
      setTimeout(() => {
        const n = navigation();
        const r = Math.round;
        if (n)
          track('$performance', {
            perf_dns: r(n.domainLookupEnd - n.domainLookupStart),
            perf_tcp: r(n.connectEnd - n.connectStart),
            perf_ttfb: r(n.responseStart - n.requestStart),
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
}

/** A new page: vitals start over (browsers measure no new LCP after an SPA navigation). */
export function resetVitals(): void {
  lcp = undefined;
  cls = 0;
  inp = [];
  sent = !flag('track-vitals');
}

/** $web_vitals for the page at `path`, once, if anything was measured; a vital not measured is left out. */
export function reportVitals(path: string): void {
  // INP ≈ p98 of the interaction durations: the (n/50)-th longest. undefined values are dropped by clean().
  if (!sent && (lcp != null || cls || inp[0]))
    (sent = inp.sort((a, b) => b - a)),
      track('$web_vitals', { path, cwv_lcp: lcp && Math.round(lcp), cwv_cls: +cls.toFixed(3), cwv_inp: inp[(inp.length / 50) | 0] });
}
