// Click and form captures (§3.1, §3.3–3.5): declarative events, cross-domain links and the opt-in outgoing
// link, click, download and form captures, from one capturing listener per event type.
import { anonId, attr, bare, doc, flag, link, loc, on, track, type Props } from './core.js';

const DOWNLOAD = /([^/]*\.(pdf|xlsx?|docx?|txt|rtf|csv|exe|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp4|mpeg|wmv|midi|mp3|wav|wma|dmg|iso|msi))$/i;

/** The `<name>-<prop>="v"` attributes of `el`, added to `o` as {prop: "v"}. */
export function dataProps(el: Element, name: string, o: Props = {}): Props {
  for (const a of el.attributes as any) if (!a.name.indexOf(name + '-')) o[a.name.slice(name.length + 1)] = a.value;
  return o;
}

const classes = (el: Element): string => (el.getAttribute('class') || '').slice(0, 200);

/** Listen for clicks and submits as the script's options ask. */
export function watchClicks(): void {
  const domains = (attr('link-domains') || '').split(/\s*,\s*/);
  const u = new URL(loc.href);
  const q = u.searchParams;
  const from = q.get('_aa');
  if (domains[0] && from) {
    // Arrival through a cross-domain link: drop ?_aa= from the address, link that visitor to this one.
    q.delete('_aa');
    history.replaceState(history.state, '', u.href);
    if (from != anonId) link(from, anonId);
  }

  on(doc, 'click', (e: MouseEvent) => {
    const t = e.target as Element;
    const declared = t.closest('[data-aa-event]');
    const el = t.closest('a,button') as HTMLAnchorElement & HTMLButtonElement;
    if (declared) track(declared.getAttribute('data-aa-event')!, dataProps(declared, 'data-aa-event'));
    if (el) {
      // Buttons have no href; only http(s) links are web links (not mailto:, tel:, javascript:).
      const host = el.hostname;
      const web = /^https?:/.test(el.href);
      const external = web && host != loc.hostname;
      const href = web ? bare(el.href) : '';
      const file = web && flag('track-downloads') && el.pathname.match(DOWNLOAD);
      const tag = el.tagName.toLowerCase();
      if (external && domains.some((d) => host == d || host.endsWith('.' + d))) {
        const u = new URL(el.href);
        u.searchParams.set('_aa', anonId);
        el.href = u.href;
      }
      if (!declared) {
        if (external && flag('track-outgoing')) track('outgoing_link', { href, hostname: host });
        if (flag('track-clicks') && !/^(mailto|tel|javascript):/.test(el.href))
          track('$click', { tag, id: el.id, classes: classes(el), ...(tag == 'a' ? { href, is_external: external } : { type: el.type }) });
      }
      if (file) track('$download', { href, filename: file[1], extension: file[2].toLowerCase() });
    }
  }, true);

  on(doc, 'submit', (e: SubmitEvent) => {
    const f = e.target as HTMLFormElement;
    const get = (n: string) => f.getAttribute(n) || '';
    // Attributes, not properties: inputs named "id" or "action" shadow form properties. Never field values.
    if (flag('track-forms') && !f.hasAttribute('data-aa-event') && f.checkValidity())
      track('$form_submit', {
        id: get('id'),
        name: get('name'),
        action: bare(get('action')).slice(0, 500),
        method: (get('method') || 'get').toUpperCase(),
        classes: classes(f),
      });
  }, true);
}
