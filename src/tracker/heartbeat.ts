// Time on page (§3.1 data-heartbeat="N"): visible seconds counted in steps of N ≥ 15, reported when a page ends.
import { attr, doc, track } from './core.js';

/** Visible seconds on the current page not yet reported. */
let visible = 0;

/** Count a step of N seconds every N seconds while the tab is visible, if data-heartbeat asks for it. */
export function watchHeartbeat(step = parseInt(attr('heartbeat')!)): void {
  if (step > 0) (step = Math.max(15, step)), setInterval(() => doc.visibilityState == 'visible' && (visible += step), step * 1000);
}

/** $time_on_page for the page at `path` (hidden, unload, SPA navigation), then count again from 0. */
export function reportTime(path: string): void {
  if (visible) track('$time_on_page', { time_on_page: visible, path }), (visible = 0);
}
