// $404 (what data-track-404="true" did): a page marked <meta name="aa-status" content="404">, or one whose
// navigation answered 404, sends $404. Its path, referrer and title are the automatic properties.
// Paste into an inline <script> on every page (or only in the 404 template), anywhere in the document.
document.addEventListener('DOMContentLoaded', () => {
  const nav = performance.getEntriesByType('navigation')[0];
  if (document.querySelector('meta[name=aa-status][content="404"]') || (nav && nav.responseStatus === 404)) {
    if (window.aa) window.aa.track('$404');
  }
});
