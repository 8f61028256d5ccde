// $time_on_page (what data-heartbeat="15" did): visible seconds counted in steps of STEP, sent with the
// page's path when the tab is hidden or the page unloads. Paste into an inline <script> placed BEFORE the
// tracker's <script> tag, so its listener runs before the tracker flushes its queue on hide.
(() => {
  const STEP = 15; // seconds, at least 15
  let visible = 0;
  setInterval(() => {
    if (document.visibilityState === 'visible') visible += STEP;
  }, STEP * 1000);
  const report = () => {
    if (visible && window.aa) window.aa.track('$time_on_page', { time_on_page: visible, path: location.pathname });
    visible = 0;
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && report());
  addEventListener('beforeunload', report);
})();
