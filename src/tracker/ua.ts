// Browser, OS and device class from the User-Agent (§3.3), kept to a few short regexes.

export interface Client {
  browser: string;
  browser_version: string;
  os: string;
  device: string;
}

// First match wins: Edge and Opera carry "Chrome/", iOS carries "Mac OS X", Android carries "Linux".
const BROWSERS: [string, RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+).*Safari/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
];
const SYSTEMS: [string, RegExp][] = [
  ['iOS', /iPhone|iPad|iPod/],
  ['Windows', /Windows/],
  ['Android', /Android/],
  ['ChromeOS', /CrOS/],
  ['macOS', /Mac/],
  ['Linux', /Linux/],
];

function find(list: [string, RegExp][], ua: string): string[] {
  for (const [name, re] of list) {
    const m = ua.match(re);
    if (m) return [name, m[1] || ''];
  }
  return ['Unknown', ''];
}

/** `width` is screen.width; `mobileHint` is navigator.userAgentData.mobile when the browser has Client Hints. */
export function client(ua: string, width: number, mobileHint?: boolean): Client {
  const [browser, browser_version] = find(BROWSERS, ua);
  const handheld = /Mobi|Android|iPhone|iPad|iPod|Tablet/.test(ua);
  return {
    browser,
    browser_version,
    os: find(SYSTEMS, ua)[0],
    device: mobileHint || (handheld && width < 768) ? 'mobile' : handheld ? 'tablet' : 'desktop',
  };
}
