// Shared tracker state (§3.3–3.4, §3.7): script options, identity, session, automatic properties, queue and transport.
import { chunk } from './chunk.js';
import { clean } from './sanitize.js';
import { get, put } from './storage.js';
import { client } from './ua.js';

export type Props = Record<string, unknown>;

export const win = window as Window & Record<string, any>;
export const doc = document;
export const loc = location;
export const nav = navigator as Navigator & Record<string, any>;

export let script: HTMLScriptElement;
export let origin = '';
export let token: string | null = null;
let project = 'default';
export let anonId = '';
export let referrer = '';
let statics: Props = {};
const globals: Props = {};

/** True while events must wait for consent (§3.7). */
export let waiting = false;
let queue: object[] = [];
let timer: ReturnType<typeof setTimeout> | 0 = 0;

export const attr = (name: string): string | null => script.getAttribute('data-' + name);
export const flag = (name: string): boolean => attr(name) == 'true';
export const json = JSON.stringify;
// Object.assign, not spread: target es2017 would inject spread helpers into the bundle.
export const assign = Object.assign;
const now = Date.now;
const UTM = ['source', 'medium', 'campaign', 'content', 'term'];

/** The one event-listener helper: a failing handler never reaches the page. */
export function on(target: EventTarget, type: string, fn: (e: any) => void, capture?: boolean): void {
  target.addEventListener(type, (e) => {
    try {
      fn(e);
    } catch {}
  }, capture);
}

/** Origin + pathname of a URL relative to the page ('' when unparsable): query strings never leave the browser. */
export function bare(url: string): string {
  try {
    const u = new URL(url, loc.href);
    return u.origin + u.pathname;
  } catch {
    return '';
  }
}

export const randomId = (p: string): string => p + Math.random().toString(36).slice(2, 11) + now().toString(36);
export const userId = (): string => get(1, 'identified_uid') || anonId;
const needsConsent = (): boolean => get(1, 'consent') != 'granted';
const parse = (s: string | null): Props => {
  try {
    return JSON.parse(s!) || {};
  } catch {
    return {};
  }
};

/** Reads the script tag; returns the storage scope (token, else project, else "default"). */
export function configure(el: HTMLScriptElement): string {
  script = el;
  origin = new URL(el.src).origin;
  token = attr('token');
  project = attr('project') || project;
  return token || project;
}

/** Identity, first visit, client facts and consent state; run once the start-up guards passed. */
export function boot(): void {
  anonId = get(1, 'uid') || put(1, 'uid', randomId('anon_'))!;
  get(1, 'fv') || put(1, 'fv', '' + now());
  referrer = doc.referrer && bare(doc.referrer);
  let tz = '';
  try {
    tz = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {}
  const s = screen;
  statics = assign(
    { screen: s.width + 'x' + s.height, language: nav.language },
    client(nav.userAgent, s.width, nav.userAgentData && nav.userAgentData.mobile),
    { timezone: tz },
  );
  waiting = flag('require-consent') && needsConsent();
}

/** UTM keys of the current URL (remembered for the session and as first touch), else the session's. */
function utm(): Props {
  const q = new URLSearchParams(loc.search);
  const o: Props = {};
  let found = 0;
  for (const k of UTM) {
    const v = q.get('utm_' + k);
    if (v) (o['utm_' + k] = v), found++;
  }
  if (!found) return parse(get(0, 'utm'));
  put(0, 'utm', json(o));
  get(1, 'ft') || put(1, 'ft', json(o));
  return o;
}

/** Automatic properties, lowest to highest precedence (§3.3). */
function base(): Props {
  const p = loc.pathname;
  const o: Props = assign(
    { url: loc.origin + p, path: p, hostname: loc.hostname, referrer, title: doc.title },
    statics,
    {
      session_count: +get(1, 'sc')! || 0,
      days_since_first_visit: Math.floor((now() - +get(1, 'fv')!) / 864e5),
    },
    utm(),
  );
  const first = parse(get(1, 'ft'));
  for (const k in first) o['first_' + k] = first[k];
  return o;
}

/** Session id for an event being tracked now: a new one after 30 idle minutes (§3.4). */
function session(): string {
  let sid = get(0, 'sid');
  if (!sid || now() - +get(0, 'last_activity')! > 18e5) {
    sid = put(0, 'sid', randomId('sess_'))!;
    put(1, 'sc', '' + (+get(1, 'sc')! + 1));
  }
  put(0, 'last_activity', '' + now());
  return sid;
}

/** Queue one event; the first one arms the 5-second flush timer. */
export function track(event: string, props?: Props): void {
  if (!event) return;
  // Properties are built before the session is resolved, so a new visitor's first event has session_count 0.
  queue.push({
    project,
    token,
    event: '' + event,
    properties: clean(assign(base(), globals, props)),
    user_id: userId(),
    session_id: session(),
    timestamp: now(),
  });
  timer = timer || setTimeout(flush, 5000);
}

/** Merge global properties into later events; null removes a key. */
export function set(props: Props): void {
  for (const k in props) props[k] === null ? delete globals[k] : (globals[k] = props[k]);
}

/** POST a JSON body: sendBeacon with a text/plain Blob, else fetch keepalive; responses and failures are ignored. */
export function post(path: string, body: string): void {
  const url = origin + path;
  try {
    if (nav.sendBeacon(url, new Blob([body], { type: 'text/plain' }))) return;
  } catch {}
  try {
    fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {});
  } catch {}
}

/** Send the queue in ≤ 100-event, ≤ 64 KB requests, unless consent is pending. */
export function flush(): void {
  clearTimeout(timer as number);
  timer = 0;
  if (!waiting) for (const r of chunk(queue.splice(0))) post(r.path, r.body);
}

/** POST /identify unless there is no token or consent is pending. */
export function link(previous: string, user: string, traits?: Props): void {
  if (token && !waiting) post('/identify', json({ token, previous_id: previous, user_id: user, traits }));
}

/** aa.identify (§3.4): remember the id, flush, then tell the server when the id changed or traits came along. */
export function identify(id: string, traits?: Props): void {
  if (!id) return;
  const previous = userId();
  put(1, 'identified_uid', (id = '' + id));
  flush();
  if (id != previous || traits) {
    const t = traits && (clean(traits) as Props);
    const email = traits && traits.email;
    if (typeof email == 'string') t!.email = email.trim().toLowerCase();
    link(previous, id, t);
  }
}

export const consent = {
  /** Buffer events until grantConsent(), unless a grant is already stored. */
  require(): void {
    waiting = needsConsent();
  },
  grant(): void {
    put(1, 'consent', 'granted');
    waiting = false;
    track('$consent', { action: 'granted' });
    flush();
  },
  revoke(): void {
    put(1, 'consent', null);
    waiting = true;
    queue = [];
  },
};
