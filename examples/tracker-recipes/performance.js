// $performance (what data-track-performance="true" did): navigation timing in whole milliseconds, sent
// once after the load event. Paste into an inline <script> anywhere in the document.
addEventListener('load', () => setTimeout(() => {
  const n = performance.getEntriesByType('navigation')[0];
  if (!n || !window.aa) return;
  const r = Math.round;
  window.aa.track('$performance', {
    perf_dns: r(n.domainLookupEnd - n.domainLookupStart),
    perf_tcp: r(n.connectEnd - n.connectStart),
    perf_ttfb: r(n.responseStart),
    perf_dom_interactive: r(n.domInteractive),
    perf_dom_complete: r(n.domComplete),
    perf_load: r(n.loadEventEnd),
  });
}));
