// Shared tracker state (§3.3–3.4, §3.7): script options, identity, session, automatic properties, queue, transport.
// Size matters (gzip budget, build.ts): some internal helpers take their locals as default parameters, which
// minify shorter than declarations; they are never called with extra arguments.
import { chunk } from './chunk.js';
import { clean } from './sanitize.js';
import { scope, store } from './storage.js';

export type Props = Record<string, any>;

export const win: Window & Props = window;
export const doc = document;
export const loc = location;
export const nav: Navigator & Props = navigator;
export const json = JSON.stringify;
export const now = Date.now;

let script: Element;
export let origin: string;
export let token: string | null;
let project: string;
export let anonId: string;
export let referrer: string;
const globals: Props = {};
/** Truthy while events must wait for consent (§3.7). */
let waiting: unknown;
let queue: object[] = [];
let timer: any;

export const attr = (name: string): string | null => script.getAttribute('data-' + name);
/** Boolean options are on only for the exact string "true". */
export const flag = (name: string): boolean => attr(name) == 'true';
/** A query parameter of the page's address. */
export const param = (name: string): string | null => new URL(loc.href).searchParams.get(name);

/** The one event-listener helper: a failing handler never reaches the page. */
export const on = (target: EventTarget, type: string, fn: (e: any) => unknown, capture?: boolean): void =>
  target.addEventListener(type, (e) => {
    try {
      fn(e);
    } catch {}
  }, capture);

/** Origin + pathname of a URL relative to the page ('' is the page itself): no query strings, no fragments. */
export const bare = (url: string, u = new URL(url, loc.href)): string => u.origin + u.pathname;

const id = (prefix: string): string => prefix + Math.random().toString(36).slice(2, 11) + now().toString(36);
export const userId = (): string => store(1, 'identified_uid') || anonId;
const parse = (s?: string): Props => JSON.parse(s || '{}');
/** The stored value of a localStorage key, stored first if missing. */
const kept = (name: string, value: unknown): any => store(1, name) || store(1, name, value);

/** Read the script tag and scope storage by its token, else the project, else "default". */
export function configure(el: Element): void {
  script = el;
  origin = new URL((el as HTMLScriptElement).src).origin;
  project = attr('project') || 'default';
  scope((token = attr('token')) || project);
}

/** Identity, first visit, referrer and consent state, once the start-up guards passed. */
export function boot(): void {
  anonId = kept('uid', id('anon_'));
  kept('fv', now());
  referrer = doc.referrer && bare(doc.referrer);
  if (flag('require-consent')) requireConsent();
}

/** Automatic properties, lowest to highest precedence (§3.3). */
const base = (utm: Props = {}, found?: any): Props => {
  for (const k of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) if (param(k)) found = utm[k] = param(k);
  // UTMs of the current URL are remembered for the session and, the first time ever, as first touch.
  if (found) store(0, 'utm', json(utm)), kept('ft', json(utm));
  else utm = parse(store(0, 'utm'));
  found = parse(store(1, 'ft'));
  for (const k in found) utm['first_' + k] = found[k];
  return {
    url: bare(''),
    path: loc.pathname,
    hostname: loc.hostname,
    referrer,
    title: doc.title,
    screen: screen.width + 'x' + screen.height,
    language: nav.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || '',
    // ~~ reads a missing counter as 0.
    session_count: ~~store(1, 'sc'),
    days_since_first_visit: ((now() - store(1, 'fv')) / 864e5) | 0,
    ...utm,
  };
};

/** Session id for an event tracked now: a new one after 30 idle minutes, counted in `sc` (§3.4). */
const session = (sid = store(0, 'sid')): string => {
  if (!sid || now() - store(0, 'last_activity') > 18e5) (sid = store(0, 'sid', id('sess_'))), store(1, 'sc', -~store(1, 'sc'));
  return store(0, 'last_activity', now()), sid;
};

/** Queue one event; the first one arms the 5-second flush timer (later ones do not reset it). */
export function track(event: string, props?: Props): void {
  // Properties are built before the session is resolved: a new visitor's first event has session_count 0.
  if (event)
    queue.push({
      project,
      token,
      event: '' + event,
      properties: clean({ ...base(), ...globals, ...props }),
      user_id: userId(),
      session_id: session(),
      timestamp: now(),
    }),
      (timer ||= setTimeout(flush, 5000));
}

/** Merge global properties into later events; null removes a key. */
export function set(props: Props): void {
  for (const k in props) props[k] === null ? delete globals[k] : (globals[k] = props[k]);
}

/** POST JSON: sendBeacon with a text/plain Blob, else fetch keepalive; responses and failures are ignored. */
const post = (path: string, body: string): void => {
  path = origin + path;
  nav.sendBeacon?.(path, new Blob([body], { type: 'text/plain' })) || fetch(path, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {});
};

/** Send the queue in ≤ 100-event, ≤ 64 KB requests, unless consent is pending. */
export function flush(): void {
  clearTimeout(timer);
  timer = 0;
  if (!waiting) chunk(queue.splice(0), post);
}

/** POST /identify, unless there is no token or consent is pending. */
export const link = (previous: string, user: string, traits?: Props): unknown =>
  token && !waiting && post('/identify', json({ token, previous_id: previous, user_id: user, traits }));

/** aa.identify (§3.4): remember the id, flush, then tell the server if the id changed or traits came along. */
export function identify(id: string, traits?: Props): void {
  const previous = userId();
  const email = traits?.email;
  if (id) {
    store(1, 'identified_uid', (id += ''));
    flush();
    traits = traits && clean(traits);
    // The one email the tracker keeps, normalised, for server-side lookup.
    if (typeof email == 'string') traits!.email = email.trim().toLowerCase();
    if (id != previous || traits) link(previous, id, traits);
  }
}

/** aa.requireConsent: buffer events until consent, unless a grant is stored (§3.7). */
export function requireConsent(): void {
  waiting = store(1, 'consent') != 'granted';
}

export function grantConsent(): void {
  waiting = !store(1, 'consent', 'granted');
  track('$consent', { action: 'granted' });
  flush();
}

export function revokeConsent(): void {
  waiting = store(1, 'consent', null);
  queue = [];
}
