// $web_vitals (what data-track-vitals="true" did): largest contentful paint (ms), cumulative layout shift
// (3 decimals) and interaction to next paint (≈ p98 of interaction durations, ms), sent once when the tab
// is hidden or the page unloads. Paste into an inline <script> placed BEFORE the tracker's <script> tag,
// so its listener runs before the tracker flushes its queue on hide.
(() => {
  let lcp = 0;
  let cls = 0;
  const inp = [];
  let sent = false;
  const observe = (type, fn) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true, durationThreshold: 40 });
    } catch {}
  };
  observe('largest-contentful-paint', (e) => (lcp = e.startTime));
  observe('layout-shift', (e) => e.hadRecentInput || (cls += e.value));
  observe('event', (e) => e.interactionId && inp.push(e.duration));
  const report = () => {
    if (sent || !window.aa) return;
    sent = true;
    inp.sort((a, b) => b - a);
    window.aa.track('$web_vitals', { path: location.pathname, cwv_lcp: Math.round(lcp), cwv_cls: +cls.toFixed(3), cwv_inp: inp[Math.floor(inp.length / 50)] || 0 });
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && report());
  addEventListener('beforeunload', report);
})();
