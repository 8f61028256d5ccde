// The client step (§3.3 automatic properties, derived here instead of in tracker.js to keep the script
// within its size budget): browser, browser_version, os and device of a browser request, from its
// User-Agent, the Sec-CH-UA-Mobile client hint and the `screen` property the tracker sends. Only
// properties the event does not carry are added, so anything a client sends itself wins.
import { verdictOf } from './bot.js';
import type { ValidEvent } from './validate.js';

export interface Client {
  browser: string;
  browser_version: string;
  os: string;
  device: string;
}

const BROWSERS: Record<string, string> = { E: 'Edge', O: 'Opera', C: 'Chrome', V: 'Safari', F: 'Firefox' };
const OSES: Record<string, string> = { iP: 'iOS', Cr: 'ChromeOS', Ma: 'macOS' };

interface Agent {
  browser: string;
  browser_version: string;
  os: string;
  handheld: boolean;
  /** The User-Agent itself says phone ("Mobi", iPhone, iPod): decides when the screen width is unknown. */
  phone: boolean;
}

/** What the User-Agent alone says; the regular expressions cost microseconds, so answers are remembered. */
function agent(ua: string): Agent {
  let a = agents.get(ua);
  if (a) return a;
  // The last browser token wins: Edge and Opera append theirs after "Chrome/… Safari/…", Chrome-based
  // WebViews put "Chrome/" after "Version/", and Safari alone says "Version/".
  const b = (ua.match(/(Edg|OPR|Chrome|CriOS|Version|Firefox|FxiOS)\w*\/\d+/g) || ['Unknown/']).pop()!;
  // The first OS token wins; "Linux" only counts when no "Android" follows it.
  const os = ua.match(/iP(hone|ad|od)|Windows|Android|CrOS|Mac|Linux(?!.*Android)/);
  a = {
    browser: BROWSERS[b[0]] || 'Unknown',
    browser_version: b.split('/')[1],
    os: os ? OSES[os[0].slice(0, 2)] || os[0] : 'Unknown',
    handheld: /Mobi|Android|iP(hone|ad|od)|Tablet/.test(ua),
    phone: /Mobi|iPhone|iPod/.test(ua),
  };
  if (agents.size >= 2000) agents.clear();
  if (ua.length <= 512) agents.set(ua, a);
  return a;
}
const agents = new Map<string, Agent>();

/**
 * Browser, major version, OS and device class of a User-Agent. `width` is the screen width (NaN when
 * unknown: then the User-Agent decides), `mobileHint` the Sec-CH-UA-Mobile client hint.
 */
export function client(ua: string, width: number, mobileHint?: boolean): Client {
  const a = agent(ua);
  const narrow = Number.isNaN(width) ? a.phone : width < 768;
  return {
    browser: a.browser,
    browser_version: a.browser_version,
    os: a.os,
    device: mobileHint || (a.handheld && narrow) ? 'mobile' : a.handheld ? 'tablet' : 'desktop',
  };
}

/** What a request tells about its browser; null for requests that are not from a browser. */
export interface ClientHeaders {
  userAgent: string;
  mobileHint: boolean;
  /** The last derivation, reused by the request's next event with the same screen (a batch shares one browser). */
  memo?: { screen: string; client: Client; json: string };
}

/**
 * A browser request: it carries an Origin (every browser POST does, sendBeacon and fetch alike) and a
 * User-Agent that is not a scripted client's. Server-side senders (curl, SDKs, the CLI) send no Origin.
 */
export function browserRequest(userAgent: string | undefined, origin: string | undefined, mobileHeader: string | string[] | undefined): ClientHeaders | null {
  if (origin === undefined || !userAgent || verdictOf(userAgent) !== null) return null;
  return { userAgent: userAgent.slice(0, 1024), mobileHint: mobileHeader === '?1' };
}

const KEYS = ['browser', 'browser_version', 'os', 'device'] as const;

/** The event with the client properties it lacks added (lowest precedence), JSON text included. */
export function withClient(e: ValidEvent, h: ClientHeaders): ValidEvent {
  const own = e.properties;
  const missing = own ? KEYS.filter((k) => !Object.hasOwn(own, k)) : KEYS;
  if (missing.length === 0) return e;
  const screen = own && typeof own.screen === 'string' ? own.screen : '';
  let memo = h.memo;
  if (memo?.screen !== screen) {
    const derived = client(h.userAgent, /^\d+x/.test(screen) ? parseInt(screen, 10) : NaN, h.mobileHint);
    memo = h.memo = { screen, client: derived, json: JSON.stringify(derived) };
  }
  const added: Record<string, string> = {};
  for (const k of missing) added[k] = memo.client[k];
  // Splice instead of re-serialising: the own keys are not among the added ones, so no key repeats.
  const json = missing.length === KEYS.length ? memo.json : JSON.stringify(added);
  const ownJson = e.propertiesJson;
  const propertiesJson = ownJson === null || ownJson === '{}' ? json : json.slice(0, -1) + ',' + ownJson.slice(1);
  // Object.assign, not a spread: `{ ...added, ...own }` measured 50 times slower here (10 µs an event).
  return { ...e, properties: Object.assign(added, own), propertiesJson };
}
