// $click (what data-track-clicks="true" did): every <a>/<button> click outside [data-aa-event] sends tag,
// id, classes and, for links, href (origin + path only) and is_external; for buttons, type. mailto:, tel:
// and javascript: links are ignored. Paste into an inline <script> anywhere in the document.
document.addEventListener('click', (e) => {
  const el = e.target instanceof Element && e.target.closest('a,button');
  if (!el || !window.aa || el.closest('[data-aa-event]') || /^(mailto|tel|javascript):/.test(el.href || '')) return;
  const tag = el.tagName.toLowerCase();
  const props = { tag, id: el.id, classes: (el.getAttribute('class') || '').slice(0, 200) };
  if (tag === 'a') {
    const web = /^https?:/.test(el.href);
    props.href = web ? el.origin + el.pathname : '';
    props.is_external = web && el.hostname !== location.hostname;
  } else {
    props.type = el.type;
  }
  window.aa.track('$click', props);
}, true);
