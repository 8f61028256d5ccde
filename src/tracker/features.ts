// Compile-time switches for the opt-in captures of §3.1. The whole of §3 does not fit the 3.5 KB gzip budget
// (decision P2): the served /tracker.js carries everything that is not a data-track-* capture plus the
// captures in SERVED; buildTracker({ captures: CAPTURES }) gives the full script. esbuild replaces
// `AA_FEATURES.<name>` with true/false and drops the disabled code.

export const CAPTURES = ['outgoing', 'scroll', 'forms', 'downloads', 'errors', 'clicks', 'notFound', 'heartbeat', 'performance', 'vitals'] as const;
export type Capture = (typeof CAPTURES)[number];

/** The captures in the served /tracker.js: as many as fit, in the order of CAPTURES. */
export const SERVED: readonly Capture[] = ['outgoing', 'scroll'];

declare global {
  /** Set by the build (src/tracker/build.ts) for every capture. */
  const AA_FEATURES: Record<Capture, boolean>;
}
