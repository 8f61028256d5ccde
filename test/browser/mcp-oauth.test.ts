// The MCP OAuth sign-in as a person sees it: the SDK's client auth provider starts it, headless Chromium opens
// the authorization URL, types the owner key on the approval page and presses Approve; the browser follows the
// redirect to the client's real loopback listener (the page's CSP must allow that form target), and the client
// finishes the sign-in and calls a tool with the issued token.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { desktopContext, launchChromium, until } from './harness.js';

let t: TestApp;
let url: string;
let browser: Browser;
let listener: Server;
let redirect: string;
const arrived: URL[] = [];

before(async () => {
  t = await startTestApp();
  url = await t.listen();
  await t.newProject(t.ownerKey, 'browser-oauth');
  listener = createServer((req, res) => {
    arrived.push(new URL(req.url!, redirect));
    res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in; you can close this tab');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  redirect = `http://127.0.0.1:${(listener.address() as { port: number }).port}/callback`;
  browser = await launchChromium([]);
});
after(async () => {
  await browser.close();
  await new Promise((resolve) => listener.close(resolve));
  await t.close();
});

test('MCP OAuth: Chromium approves on the approval page, the client gets a token and calls a tool', async () => {
  let client: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  let verifier = '';
  let authorizationUrl: URL | undefined;
  const provider: OAuthClientProvider = {
    get redirectUrl() { return redirect; },
    get clientMetadata() { return { client_name: 'Browser MCP client', redirect_uris: [redirect] }; },
    state: () => 'browser-state',
    clientInformation: () => client,
    saveClientInformation: (c) => { client = c; },
    tokens: () => tokens,
    saveTokens: (x) => { tokens = x; },
    redirectToAuthorization: (u) => { authorizationUrl = u; },
    saveCodeVerifier: (v) => { verifier = v; },
    codeVerifier: () => verifier,
  };
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider: provider });
  await assert.rejects(new Client({ name: 'browser', version: '1' }).connect(transport), /Unauthorized/);
  assert.ok(authorizationUrl);

  const context = await desktopContext(browser);
  const page = await context.newPage();
  await page.goto(authorizationUrl!.toString());
  assert.match(await page.textContent('main') ?? '', /Browser MCP client/);
  await page.fill('#api_key', t.ownerKey);
  await page.click('button[value=approve]');
  const back = await until(() => arrived[0]);
  await context.close();
  assert.equal(back.pathname, '/callback');
  assert.equal(back.searchParams.get('state'), 'browser-state');

  await transport.finishAuth(back.searchParams.get('code')!);
  assert.match(tokens!.access_token, /^aas_/);
  const mcp = new Client({ name: 'browser', version: '1' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider: provider }));
  try {
    const res = await mcp.callTool({ name: 'list_projects', arguments: {} });
    assert.equal(res.isError, undefined);
    assert.match(JSON.stringify(res.content), /browser-oauth/);
  } finally {
    await mcp.close();
  }
});
