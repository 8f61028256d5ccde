// Browser-test harness: a tiny HTTP server that serves the built tracker and test pages and records every
// tracking request, plus a headless Chromium that sees the server as http://test.example:<port>.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildTracker } from '../../src/tracker/build.js';


/** A regular desktop Chrome: HeadlessChrome is filtered as a bot server-side (Q14). */
export const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export interface Hit {
  path: string;
  body: any;
  contentType: string;
  cookie: string;
}

export interface Harness {
  origin: string;
  port: number;
  hits: Hit[];
  /** Tokens seen on GET /experiments/config. */
  configRequests: string[];
  /** The JSON answered on /experiments/config, per token. */
  experiments: Map<string, object>;
  /** Register a page; returns its path. */
  page(html: string, attrs?: Record<string, string>, opts?: { script?: string; head?: string; status?: number }): string;
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

let counter = 0;

export async function startHarness(): Promise<Harness> {
  const served = await buildTracker();
  const pages = new Map<string, { html: string; status: number }>();
  const hits: Hit[] = [];
  const configRequests: string[] = [];
  const experiments = new Map<string, object>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (req.method == 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ path: url.pathname, body: JSON.parse(body), contentType: req.headers['content-type'] || '', cookie: req.headers.cookie || '' });
        res.writeHead(202, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{"ok":true,"queued":true}');
      });
      return;
    }
    if (url.pathname == '/tracker.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' }).end(served.minified);
      return;
    }
    if (url.pathname == '/experiments/config') {
      const token = url.searchParams.get('token')!;
      configRequests.push(token);
      res
        .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
        .end(JSON.stringify(experiments.get(token) || { experiments: [] }));
      return;
    }
    const page = pages.get(url.pathname);
    res.writeHead(page ? page.status : 404, { 'content-type': 'text/html' }).end(page ? page.html : 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await launchChromium(['test.example']);
  return {
    origin: `http://test.example:${port}`,
    port,
    hits,
    configRequests,
    experiments,
    page(html, attrs = {}, opts = {}) {
      const path = `/p/${++counter}`;
      const a = Object.entries({ 'data-project': 'site', ...attrs })
        .map(([k, v]) => ` ${k}="${v}"`)
        .join('');
      const src = opts.script || '/tracker.js';
      const doc = `<!doctype html><html><head><title>Page ${counter}</title>${opts.head || ''}<script defer src="${src}"${a}></script></head><body>${html}</body></html>`;
      pages.set(path, { html: doc, status: opts.status || 200 });
      return path;
    },
    newContext: () => desktopContext(browser),
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Debian's headless Chromium, resolving each of `hosts` to 127.0.0.1 (pages are never served as localhost). */
export function launchChromium(hosts: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`],
  });
}

/** A desktop Chrome on Windows in Berlin: the User-Agent, screen and locale the assertions expect. */
export async function desktopContext(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    userAgent: DESKTOP_UA,
    timezoneId: 'Europe/Berlin',
    locale: 'en-US',
    viewport: { width: 1280, height: 720 },
    screen: { width: 1920, height: 1080 },
  });
  // tsx compiles test files with esbuild's keepNames: functions passed to page.evaluate call __name.
  await ctx.addInitScript('self.__name = (f) => f');
  return ctx;
}

/** Each test uses its own token, so hits can be told apart. */
export const newToken = (): string => 'aat_t' + ++counter + 'x' + Date.now().toString(36);

/** The events of the hits carrying `token`, flattened, in arrival order. */
export function eventsOf(hits: Hit[], token: string): any[] {
  const out: any[] = [];
  for (const h of hits) {
    if (h.path == '/track' && h.body.token == token) out.push(h.body);
    if (h.path == '/track/batch' && h.body.events[0].token == token) out.push(...h.body.events);
  }
  return out;
}

export const hitsOf = (hits: Hit[], token: string): Hit[] =>
  hits.filter((h) => (h.body.events ? h.body.events[0].token : h.body.token) == token);

/** Poll until `fn` returns a truthy value (or fail after `ms`). */
type Maybe<T> = T | false | 0 | '' | null | undefined;
export async function until<T>(fn: () => Maybe<T> | Promise<Maybe<T>>, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error('timed out waiting: ' + fn.toString());
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Pretend the tab was hidden and shown again: the tracker flushes on visibilitychange → hidden. */
export async function hide(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    delete (document as any).visibilityState;
  });
}

/** Wait for the tracker to be live (its API replaced the stub). */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).aa && (window as any).aa.getIdentity() !== null);
}

const AXE = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is: fails on any serious or critical violation, naming `view`. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter((v: any) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${view}: axe violations ${JSON.stringify(bad, null, 1)}`);
}
