// A tiny history router: every client route lives under /app/, so it can never shadow an API path.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/app';

export interface Route {
  path: string; // without the /app prefix, always starting with '/'
  query: URLSearchParams;
}

const current = (): Route => ({
  path: location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/',
  query: new URLSearchParams(location.search),
});

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  const url = to.startsWith(BASE) ? to : BASE + to;
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const fn of listeners) fn();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Same-tab navigation for plain links (modifier clicks keep the browser's behaviour). */
export function linkClick(e: MouseEvent): void {
  const a = (e.target as Element).closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith(BASE + '/') && href !== BASE) return;
  e.preventDefault();
  navigate(href);
}
