// Entry point of /tracker.js: start-up guards (§3.2), then the window.aa API (§3.9).
import { watchClicks } from './clicks.js';
import { anonId, boot, configure, doc, flag, flush, grantConsent, identify, loc, nav, on } from './core.js';
import { requireConsent, revokeConsent, set, track, win } from './core.js';
import { experiment, loadExperiments, reveal } from './experiments.js';
import { watchHeartbeat } from './heartbeat.js';
import { end, start, watchPage } from './page.js';
import { watchSpeed } from './speed.js';
import { store } from './storage.js';

type Api = Record<string, (...a: any[]) => unknown>;
const api: Api = {
  track,
  page: (name?: string) => track('page_view', { page: name || doc.title }),
  identify,
  set,
  experiment,
  getIdentity: () => ({ anonymousId: anonId, userId: store(1, 'identified_uid') || null }),
  requireConsent,
  grantConsent,
  revokeConsent,
};

/** Guards 2–5 in order; returns 1 in local development, the api once tracking started, else nothing. */
function main(): 1 | Api | void {
  configure(doc.currentScript!);
  // Local development: no network at all, every call is only logged.
  if (/^(localhost|127(\.\d+){3})$/.test(loc.hostname)) return reveal(), 1;
  if ((flag('do-not-track') && nav.doNotTrack == '1') || store(1, 'disabled') == 'true' || doc.visibilityState == ('prerender' as string))
    return reveal();
  const leave = () => (end(), flush());
  boot();
  watchClicks();
  watchPage();
  watchSpeed();
  watchHeartbeat();
  on(doc, 'visibilitychange', () => doc.visibilityState == 'hidden' && leave());
  on(win, 'beforeunload', leave);
  start(1);
  loadExperiments();
  return api;
}

// Guard 1: a stub whose methods never throw; a second copy of the script does nothing.
if (!win.__aa) {
  const stub: Api = (win.__aa = win.aa = {});
  let mode: 1 | Api | void;
  for (const m in api)
    stub[m] = (...a) => {
      try {
        if (mode == 1) console.log('[aa-dev] ' + m, ...a);
        else if (mode) return mode[m](...a);
      } catch {}
      return null;
    };
  try {
    if ((mode = main()) == 1) stub.page();
  } catch {}
}
