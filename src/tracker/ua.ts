// Browser, OS and device class from the User-Agent (§3.3), with two short patterns.

export interface Client {
  browser: string;
  browser_version: string;
  os: string;
  device: string;
}

/** `width` is screen.width; `mobileHint` is navigator.userAgentData.mobile where Client Hints exist. */
export const client = (
  ua: string,
  width: number,
  mobileHint?: boolean,
  // The last browser token wins: Edge and Opera append theirs after "Chrome/… Safari/…", Chrome-based
  // WebViews put "Chrome/" after "Version/", and Safari alone says "Version/".
  b = (ua.match(/(Edg|OPR|Chrome|CriOS|Version|Firefox|FxiOS)\w*\/\d+/g) || ['Unknown/']).pop()!,
  // The first OS token wins; "Linux" only counts when no "Android" follows it. Windows, Android and Linux are
  // named as in the User-Agent; the others by their first two letters.
  os = ua.match(/iP(hone|ad|od)|Windows|Android|CrOS|Mac|Linux(?!.*Android)/),
  handheld = /Mobi|Android|iP(hone|ad|od)|Tablet/.test(ua),
): Client => ({
  browser: ({ E: 'Edge', O: 'Opera', C: 'Chrome', V: 'Safari', F: 'Firefox' } as Record<string, string>)[b[0]] || 'Unknown',
  browser_version: b.split('/')[1],
  os: os ? ({ iP: 'iOS', Cr: 'ChromeOS', Ma: 'macOS' } as Record<string, string>)[os[0].slice(0, 2)] || os[0] : 'Unknown',
  device: mobileHint || (handheld && width < 768) ? 'mobile' : handheld ? 'tablet' : 'desktop',
});
