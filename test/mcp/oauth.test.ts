// MCP over HTTP signs in by OAuth (issue 16, item 5): the SDK's own client auth provider discovers the metadata
// from POST /mcp's 401, registers, is sent to the agent-session approval page (approved here by posting its form
// as the browser does), trades the code and calls tools with the issued aas_ token. Plus the documents, the
// error answers of registration and the token endpoint (RFC 7591 / RFC 6749), PKCE, code reuse and isolation.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { token } from '../../src/accounts/oauth.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from './exercise.js';

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  url = await t.listen();
  await t.newProject(t.ownerKey, 'oauth-site');
});
after(async () => { await t.close(); });

const REDIRECT = 'http://127.0.0.1:7777/callback';

/** The SDK's provider interface, kept in memory; the "browser" is whoever reads `authorizationUrl`. */
class MemoryProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  constructor(readonly name = 'OAuth test client') {}
  get redirectUrl() { return REDIRECT; }
  get clientMetadata(): OAuthClientMetadata { return { client_name: this.name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }; }
  state() { return `st-${randomBytes(8).toString('hex')}`; }
  clientInformation() { return this.client; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.client = info; }
  tokens() { return this.saved; }
  saveTokens(tokens: OAuthTokens) { this.saved = tokens; }
  redirectToAuthorization(u: URL) { this.authorizationUrl = u; }
  saveCodeVerifier(v: string) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
}

/** What the person's browser does: open the authorization URL, sign in with `key` on the approval page, decide
 * (with `ticked`, the page's scope boxes as the person left them). */
async function approveInBrowser(authorizationUrl: URL, key: string, decision = 'approve', ticked?: string[]): Promise<URL> {
  const first = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(first.status, 302, await first.text());
  const page = new URL(first.headers.get('location')!, url);
  assert.match(page.pathname, /^\/agent-sessions\/authorize\/areq_/);
  const html = await (await fetch(page)).text();
  assert.match(html, /an MCP client signing in by OAuth; the approval returns to <code>http:\/\/127.0.0.1:7777<\/code>/);
  const posted = await fetch(page, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ decision, api_key: key, ...(ticked ? { scopes_offered: '1', ...Object.fromEntries(ticked.map((sc) => [`scope_${sc}`, 'on'])) } : {}) }).toString(),
  });
  assert.equal(posted.status, 303, await posted.text());
  return new URL(posted.headers.get('location')!);
}

/** Register, authorize (S256) and approve by hand, without the SDK: the code, verifier and client_id. */
const registerClient = async (name: string) => (await (await fetch(`${url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT] }) })).json());

async function manualCode(key: string, scope?: string) {
  const reg = await registerClient('Manual');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const a = new URL(`${url}/oauth/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: reg.client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', ...(scope ? { scope } : {}) })) a.searchParams.set(k, v);
  const back = await approveInBrowser(a, key);
  assert.equal(back.searchParams.get('state'), 'xyz');
  return { code: back.searchParams.get('code')!, verifier, clientId: reg.client_id as string };
}

const tokenRequest = (fields: Record<string, string>) => fetch(`${url}/oauth/token`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
});

test('oauth: the 401 of POST /mcp points at the metadata; the documents describe the flow', async () => {
  const res = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), `Bearer realm="agent-analytics", resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`);
  const prm = await (await fetch(`${url}/.well-known/oauth-protected-resource/mcp`)).json();
  assert.equal(prm.resource, `${url}/mcp`);
  assert.deepEqual(prm.authorization_servers, [url]);
  assert.ok(prm.scopes_supported.includes('analytics:read') && prm.scopes_supported.includes('projects:write'));
  assert.deepEqual(prm.bearer_methods_supported, ['header']);
  assert.equal((await (await fetch(`${url}/.well-known/oauth-protected-resource`)).json()).resource, url);
  const as = await (await fetch(`${url}/.well-known/oauth-authorization-server`)).json();
  assert.equal(as.issuer, url);
  assert.equal(as.authorization_endpoint, `${url}/oauth/authorize`);
  assert.equal(as.token_endpoint, `${url}/oauth/token`);
  assert.equal(as.registration_endpoint, `${url}/oauth/register`);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(as.response_types_supported, ['code']);
  assert.deepEqual(as.grant_types_supported, ['authorization_code', 'refresh_token']);
  assert.deepEqual(as.token_endpoint_auth_methods_supported, ['none']);
  // The SDK's own schemas accept both documents.
  const { OAuthProtectedResourceMetadataSchema, OAuthMetadataSchema } = await import('@modelcontextprotocol/sdk/shared/auth.js');
  assert.ok(OAuthProtectedResourceMetadataSchema.safeParse(prm).success);
  assert.ok(OAuthMetadataSchema.safeParse(as).success);
  assert.equal((await fetch(`${url}/.well-known/openid-configuration`)).status, 404, 'not an OpenID provider');
});

test('oauth: the SDK client signs in through the approval page, then tools work within the granted scopes', async () => {
  const provider = new MemoryProvider();
  const seen: string[] = [];
  const recording: typeof fetch = async (input, init) => {
    seen.push(`${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`);
    return fetch(input, init);
  };
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider: provider, fetch: recording });
  await assert.rejects(new Client({ name: 'oauth', version: '1' }).connect(transport), /Unauthorized/);
  assert.ok(seen.includes('GET /.well-known/oauth-protected-resource/mcp'), seen.join(', '));
  assert.ok(seen.includes('POST /oauth/register'), seen.join(', '));
  assert.ok(provider.authorizationUrl, 'the SDK asked for a browser');
  const asked = provider.authorizationUrl!;
  assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(asked.searchParams.get('resource'), `${url}/mcp`);

  const back = await approveInBrowser(asked, t.ownerKey);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), asked.searchParams.get('state'));
  await transport.finishAuth(back.searchParams.get('code')!);
  assert.match(provider.saved!.access_token, /^aas_/);
  assert.match(provider.saved!.refresh_token!, /^aar_/);
  assert.equal(provider.saved!.token_type.toLowerCase(), 'bearer');

  const client = new Client({ name: 'oauth', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider: provider }));
  try {
    const stats = await call(client, 'get_stats', { project: 'oauth-site' });
    assert.equal(stats.res.isError, undefined, stats.text);
  } finally {
    await client.close();
  }
  // The session is listed on the account like any agent session.
  const sessions = (await t.request('GET', '/account/agent-sessions')).json().agent_sessions;
  assert.ok(sessions.some((s: { client_type: string; client_name: string }) => s.client_type === 'mcp' && s.client_name === 'OAuth test client'));
});

test('oauth: a narrower scope (SDK auth() with scope) is enforced on tool calls; no scope means read-only', async () => {
  const provider = new MemoryProvider('Reader');
  assert.equal(await auth(provider, { serverUrl: new URL(`${url}/mcp`), scope: 'analytics:read' }), 'REDIRECT');
  const back = await approveInBrowser(provider.authorizationUrl!, t.ownerKey);
  assert.equal(await auth(provider, { serverUrl: new URL(`${url}/mcp`), authorizationCode: back.searchParams.get('code')! }), 'AUTHORIZED');
  assert.equal(provider.saved!.scope, 'analytics:read');
  const client = new Client({ name: 'reader', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider: provider }));
  try {
    assert.equal((await call(client, 'get_stats', { project: 'oauth-site' })).res.isError, undefined);
    const create = await call(client, 'create_project', { name: 'nope' });
    assert.equal(create.res.isError, true);
    assert.match(create.text, /INSUFFICIENT_SCOPE \(HTTP 403\)/);
    assert.match(create.text, /"projects:write"/);
  } finally {
    await client.close();
  }
  const none = await manualCode(t.ownerKey);
  const issued = await (await tokenRequest({ grant_type: 'authorization_code', code: none.code, code_verifier: none.verifier, client_id: none.clientId, redirect_uri: REDIRECT })).json();
  assert.equal(issued.scope, 'account:read projects:read analytics:read live:read');
});

test('oauth: the person can grant less than the client asked (unticked scopes on the approval page)', async () => {
  const provider = new MemoryProvider();
  assert.equal(await auth(provider, { serverUrl: new URL(`${url}/mcp`) }), 'REDIRECT');
  assert.equal(provider.authorizationUrl!.searchParams.get('scope'), 'account:read projects:read projects:write analytics:read experiments:write feedback:write live:read', 'SDK asks for scopes_supported');
  const none = await fetch(new URL((await fetch(provider.authorizationUrl!, { redirect: 'manual' })).headers.get('location')!, url), {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ decision: 'approve', api_key: t.ownerKey, scopes_offered: '1' }).toString(),
  });
  assert.equal(none.status, 400);
  assert.match(await none.text(), /Tick at least one scope/);
  const provider2 = new MemoryProvider();
  await auth(provider2, { serverUrl: new URL(`${url}/mcp`) });
  const back = await approveInBrowser(provider2.authorizationUrl!, t.ownerKey, 'approve', ['projects:read', 'analytics:read']);
  assert.equal(await auth(provider2, { serverUrl: new URL(`${url}/mcp`), authorizationCode: back.searchParams.get('code')! }), 'AUTHORIZED');
  assert.equal(provider2.saved!.scope, 'projects:read analytics:read', 'the token response states the narrower grant');
  assert.equal((await t.request('POST', '/projects', { name: 'nope' }, provider2.saved!.access_token)).statusCode, 403);
});

test('oauth: the pasted key keeps working next to OAuth (X-API-Key, Bearer aak_, ?key=)', async () => {
  for (const [headers, query] of [[{ 'x-api-key': t.ownerKey }, ''], [{ authorization: `Bearer ${t.ownerKey}` }, ''], [{}, `?key=${t.ownerKey}`]] as const) {
    const res = await fetch(`${url}/mcp${query}`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 200, JSON.stringify(headers) + query);
  }
});

test('oauth: registration refuses bad metadata with RFC 7591 errors', async () => {
  const register = async (body: unknown) => {
    const res = await fetch(`${url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  for (const [body, error] of [
    [{ client_name: 'x' }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['not a url'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://app.example/cb#frag'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['http://127.0.0.1/cb?code=1'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [REDIRECT], grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
    [{ redirect_uris: [REDIRECT], scope: 'admin:all' }, 'invalid_client_metadata'],
    [{ redirect_uris: [REDIRECT], client_name: 7 }, 'invalid_client_metadata'],
    [[REDIRECT], 'invalid_client_metadata'],
  ] as const) {
    const r = await register(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error, error, JSON.stringify(body));
    assert.equal(typeof r.body.error_description, 'string');
  }
  const ok = await register({ client_name: 'Fine', redirect_uris: ['https://app.example/cb', 'http://[::1]:9000/cb'], token_endpoint_auth_method: 'client_secret_basic' });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.token_endpoint_auth_method, 'none', 'public clients only; the answer says so');
  assert.equal(ok.body.client_secret, undefined);
});

test('oauth: /oauth/authorize shows errors for bad clients, redirects other errors back with state', async () => {
  const reg = await registerClient('Errors');
  const go = (params: Record<string, string>) => fetch(`${url}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const challenge = createHash('sha256').update('v'.repeat(43)).digest('base64url');
  const base = { response_type: 'code', client_id: reg.client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's1' };
  assert.equal((await go({ ...base, client_id: 'aac_forged' })).status, 400);
  assert.equal((await go({ ...base, redirect_uri: 'http://127.0.0.1:1/other' })).status, 400, 'never redirects to an unregistered URI');
  for (const [params, error] of [
    [{ ...base, code_challenge_method: 'plain' }, 'invalid_request'],
    [{ ...base, code_challenge: 'short' }, 'invalid_request'],
    [{ ...base, response_type: 'token' }, 'unsupported_response_type'],
    [{ ...base, scope: 'analytics:read admin' }, 'invalid_scope'],
    [{ ...base, resource: 'https://other.example/mcp' }, 'invalid_target'],
  ] as const) {
    const res = await go(params);
    assert.equal(res.status, 302, JSON.stringify(params));
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.searchParams.get('error'), error);
    assert.equal(back.searchParams.get('state'), 's1');
  }
  // An https client's errors show the page instead: no open redirector for anyone who registers a URI.
  const web = (await (await fetch(`${url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['https://evil.example/cb'] }) })).json()).client_id;
  const webError = await go({ ...base, client_id: web, redirect_uri: 'https://evil.example/cb', response_type: 'token' });
  assert.equal(webError.status, 400);
  assert.equal(webError.headers.get('location'), null);
  assert.match(await webError.text(), /unsupported_response_type/);
  // Denied on the page: back to the client with access_denied.
  const a = new URL(`${url}/oauth/authorize?${new URLSearchParams(base)}`);
  const denied = await approveInBrowser(a, t.ownerKey, 'deny');
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  assert.equal(denied.searchParams.get('state'), 's1');
  assert.equal(denied.searchParams.get('code'), null);
});

test('oauth: /oauth/token errors follow RFC 6749; PKCE mismatch and code reuse are refused', async () => {
  const expectError = async (fields: Record<string, string>, error: string) => {
    const res = await tokenRequest(fields);
    const body = await res.json();
    assert.equal(res.status, 400, JSON.stringify(fields));
    assert.equal(body.error, error, JSON.stringify(body));
    assert.equal(typeof body.error_description, 'string');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  };
  await expectError({}, 'invalid_request');
  await expectError({ grant_type: 'password' }, 'unsupported_grant_type');
  await expectError({ grant_type: 'authorization_code', code_verifier: 'v'.repeat(43), client_id: 'aac_x' }, 'invalid_request');
  await expectError({ grant_type: 'refresh_token' }, 'invalid_request');
  await expectError({ grant_type: 'refresh_token', refresh_token: 'aar_nope' }, 'invalid_grant');

  const c = await manualCode(t.ownerKey, 'analytics:read');
  const good = { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, client_id: c.clientId, redirect_uri: REDIRECT };
  await expectError({ ...good, code_verifier: 'short' }, 'invalid_request');
  await expectError({ ...good, code_verifier: randomBytes(32).toString('base64url') }, 'invalid_grant');
  await expectError({ ...good, client_id: (await registerClient('Another')).client_id }, 'invalid_grant');
  await expectError({ ...good, redirect_uri: 'http://127.0.0.1:7777/elsewhere' }, 'invalid_grant');
  await expectError({ ...good, code: `${c.code.split('.')[0]}.wrong` }, 'invalid_grant');
  const res = await tokenRequest(good);
  assert.equal(res.status, 200);
  const first = await res.json();
  assert.equal(first.token_type, 'Bearer');
  assert.equal(first.expires_in, 3600);
  assert.equal(first.scope, 'analytics:read');
  assert.equal((await t.request('GET', '/projects', undefined, first.access_token)).statusCode, 403, 'projects:read was not granted');

  // Reuse of the code: refused, and the session it produced ends.
  await expectError(good, 'invalid_grant');
  const after = await fetch(`${url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${first.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
  assert.equal(after.status, 401);
  assert.match(String(after.headers.get('www-authenticate')), /error="invalid_token"/);
});

test('oauth: refresh rotates; a reused refresh token revokes the session; scope cannot widen', async () => {
  const c = await manualCode(t.ownerKey, 'analytics:read projects:read');
  const first = await (await tokenRequest({ grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, client_id: c.clientId })).json();
  const wider = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'analytics:read projects:write' });
  assert.equal(wider.status, 400);
  assert.equal((await wider.json()).error, 'invalid_scope');
  const stolen = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: (await registerClient('Thief')).client_id });
  assert.equal(stolen.status, 400);
  assert.equal((await stolen.json()).error, 'invalid_grant', 'bound to its client');
  const second = await (await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: c.clientId })).json();
  assert.match(second.access_token, /^aas_/);
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.equal(second.scope, 'projects:read analytics:read');
  assert.equal((await t.request('GET', '/projects', undefined, second.access_token)).statusCode, 200);
  const reused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
  assert.equal(reused.status, 400);
  assert.equal((await reused.json()).error, 'invalid_grant');
  assert.equal((await t.request('GET', '/projects', undefined, second.access_token)).statusCode, 401, 'the whole session ended');
});

test('oauth: a token approved by account A never reads account B', async () => {
  const other = await t.newAccount('pro');
  await t.newProject(other, 'b-site');
  const c = await manualCode(t.ownerKey, 'analytics:read projects:read');
  const tok = (await (await tokenRequest({ grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, client_id: c.clientId })).json()).access_token;
  const names = (await t.request('GET', '/projects', undefined, tok)).json().projects.map((p: { name: string }) => p.name);
  assert.ok(names.includes('oauth-site') && !names.includes('b-site'), names.join(','));
  const client = new Client({ name: 'iso', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${tok}` } } }));
  try {
    const stats = await call(client, 'get_stats', { project: 'b-site' });
    assert.equal(stats.res.isError, true);
    assert.match(stats.text, /NOT_FOUND|not found/i);
  } finally {
    await client.close();
  }
  // B's key cannot approve a request into A's account on A's behalf: the approval binds the approving account.
  const cb = await manualCode(other, 'projects:read');
  const tokB = (await (await tokenRequest({ grant_type: 'authorization_code', code: cb.code, code_verifier: cb.verifier, client_id: cb.clientId })).json()).access_token;
  const namesB = (await t.request('GET', '/projects', undefined, tokB)).json().projects.map((p: { name: string }) => p.name);
  assert.deepEqual(namesB, ['b-site']);
});

test('oauth: codes expire with the request (AA_AGENT_REQUEST_TTL_MIN), tokens after expires_in (controlled clock)', async () => {
  const c = await manualCode(t.ownerKey, 'analytics:read');
  const fields = { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, client_id: c.clientId, redirect_uri: REDIRECT };
  const later = new Date(Date.now() + (t.config.agentSessions.requestTtlMin + 1) * 60_000);
  await assert.rejects(token(t.config, t.stores.meta, fields, async () => {}, later), (e: { status: number; code: string }) => e.status === 400 && e.code === 'invalid_grant');
  const c2 = await manualCode(t.ownerKey, 'analytics:read');
  const issued = await token(t.config, t.stores.meta, { ...fields, code: c2.code, code_verifier: c2.verifier }, async () => {});
  assert.equal((await t.request('GET', '/projects', undefined, issued.access_token)).statusCode, 403, 'valid token, scope lacking');
  const dead = await token(t.config, t.stores.meta, { grant_type: 'refresh_token', refresh_token: issued.refresh_token }, async () => {},
    new Date(Date.now() + (t.config.agentSessions.refreshTtlDays + 1) * 86_400_000)).catch((e: { code: string }) => e.code);
  assert.equal(dead, 'invalid_grant', 'an expired refresh token');
});
