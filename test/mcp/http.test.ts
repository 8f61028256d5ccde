// MCP over streamable HTTP at POST /mcp: the SDK's own client against the real server on a real port.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, exerciseRotation, exerciseTools } from './exercise.js';
import { roomInWindow } from '../helpers/windows.js';

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  url = await t.listen();
});
after(async () => { await t.close(); });

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** POST /mcp on the real port with any Host header (fetch may not set one), as the conformance suite does. */
function rawPost(headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(INITIALIZE);
  });
}

const injectMcp = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ method: 'POST', url: '/mcp', headers: { ...MCP_HEADERS, ...headers }, payload: INITIALIZE });

async function connect(apiKey: string): Promise<Client> {
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { 'x-api-key': apiKey } } }));
  return client;
}

test('http: every tool and its errors through POST /mcp', async () => {
  const client = await connect(t.ownerKey);
  try {
    assert.equal(client.getServerVersion()?.name, 'agent-analytics');
    await exerciseTools(client, t.app, 'http');
  } finally {
    await client.close();
  }
});

test('http: tool calls run as the caller (scoped to their account)', async () => {
  const other = await t.newAccount('pro');
  await t.newProject(t.ownerKey, 'owner-only');
  const client = await connect(other);
  try {
    assert.deepEqual((await call(client, 'list_projects')).data.projects, []);
    const r = await call(client, 'list_events', { project: 'owner-only' });
    assert.equal(r.data.error, 'NOT_FOUND');
  } finally {
    await client.close();
  }
});

test('http: no or wrong API key → 401 before MCP; GET /mcp → 405', async () => {
  await assert.rejects(connect(`aak_${'9'.repeat(48)}`), /401|AUTH_REQUIRED|invalid or revoked/);
  const bare = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
  assert.equal(bare.status, 401);
  assert.equal((await bare.json()).error, 'AUTH_REQUIRED');
  const get = await fetch(`${url}/mcp`, { headers: { 'x-api-key': t.ownerKey, accept: 'text/event-stream' } });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const list = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'x-api-key': t.ownerKey, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }) });
  assert.equal(list.status, 200);
  const body = await list.json();
  assert.equal(body.id, 7);
  assert.ok(body.result.tools.length >= 15);
});

test('http: server flags lead the tool result text and stay in structuredContent', async () => {
  await t.newProject(t.ownerKey, 'flag-site');
  const project = (await t.app.inject({ url: '/projects/flag-site', headers: { 'x-api-key': t.ownerKey } })).json();
  const account = (await t.app.inject({ url: '/account', headers: { 'x-api-key': t.ownerKey } })).json();
  const old = new Date(Date.now() - 72 * 3_600_000).toISOString();
  await t.stores.meta.createExperiment({
    id: 'exp_mcpoldnoconv001', project_id: project.id, account_id: account.id, name: 'silent', goal_event: 'signup',
    variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], status: 'active', winner: null, created_at: old, updated_at: old, completed_at: null,
  });
  const client = await connect(t.ownerKey);
  try {
    const r = await call(client, 'get_experiment', { experiment_id: 'exp_mcpoldnoconv001' });
    assert.match(r.text, /^FLAGS — tell the user and act on them:\n- \[warning\] experiment_no_conversions: /);
    assert.equal(r.data.flags[0].code, 'experiment_no_conversions');
  } finally {
    await client.close();
  }
});

test('http: MCP messages are not metered; each tool call counts as the API request it makes', async () => {
  const free = await t.newAccount('free');
  const rpm = t.config.tiers.free.rate_limit_rpm;
  const client = await connect(free);
  await roomInWindow(15_000);
  try {
    for (let i = 0; i < rpm + 2; i++) await client.listTools();
    for (let i = 0; i < rpm; i++) assert.equal((await call(client, 'get_account')).res.isError, undefined, `call ${i + 1} of ${rpm}`);
    const limited = await call(client, 'get_account');
    assert.equal(limited.res.isError, true);
    assert.equal(limited.data.error, 'RATE_LIMITED');
    assert.equal(typeof limited.data.retry_after, 'number');
  } finally {
    await client.close();
  }
});

test('http: rotate_api_key answers the new key once; the client configured with the old key is refused after', async () => {
  const key = await t.newAccount('pro');
  const client = await connect(key);
  let fresh: string;
  try {
    fresh = await exerciseRotation(client, t.app, key, false);
    await assert.rejects(client.callTool({ name: 'get_account', arguments: {} }), /401|AUTH_REQUIRED|invalid or revoked/);
  } finally {
    await client.close();
  }
  const again = await connect(fresh);
  try {
    assert.equal((await call(again, 'get_account')).res.isError, undefined);
  } finally {
    await again.close();
  }
});

test('http: Host and Origin must name this server (DNS-rebinding protection), checked before the API key', async () => {
  const port = new URL(url).port;
  const evil = await rawPost({ host: 'evil.example.com' });
  assert.equal(evil.status, 403, 'rejected without a key, as the conformance suite probes it');
  assert.equal(evil.body.error, 'FORBIDDEN');
  assert.match(evil.body.message, /DNS-rebinding protection.*AA_PUBLIC_URL.*AA_MCP_ALLOWED_HOSTS/);
  assert.equal((await rawPost({ host: `evil.example.com:${port}`, 'x-api-key': t.ownerKey })).status, 403, 'a key does not help');
  assert.equal((await rawPost({ host: `localhost:${port}` })).status, 401, 'a loopback name passes the guard and meets auth');
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'app.localhost']) {
    assert.equal((await rawPost({ host, 'x-api-key': t.ownerKey })).status, 200, host);
  }
  const origin = await rawPost({ host: `127.0.0.1:${port}`, origin: 'http://evil.example.com', 'x-api-key': t.ownerKey });
  assert.equal(origin.status, 403);
  assert.match(origin.body.message, /^Origin "http:\/\/evil\.example\.com" may not use this MCP endpoint/);
  assert.equal((await rawPost({ host: `127.0.0.1:${port}`, origin: 'null', 'x-api-key': t.ownerKey })).status, 403);
  assert.equal((await rawPost({ host: `127.0.0.1:${port}`, origin: 'http://localhost:6274', 'x-api-key': t.ownerKey })).status, 200);
  // Only the MCP endpoint is guarded; the API keeps answering any Host (the contract's CORS rules apply there).
  assert.equal((await t.app.inject({ url: '/account', headers: { host: 'evil.example.com', 'x-api-key': t.ownerKey } })).statusCode, 200);
  assert.equal((await t.app.inject({ url: '/mcp', headers: { host: 'evil.example.com', 'x-api-key': t.ownerKey } })).statusCode, 403);
});

test('http: AA_PUBLIC_URL names the public host (behind a proxy); AA_MCP_ALLOWED_HOSTS adds names', async () => {
  const proxied = await startTestApp({ AA_PUBLIC_URL: 'https://analytics.example.com', AA_MCP_ALLOWED_HOSTS: '*.corp.example, https://mcp.example.org:8443' });
  try {
    const status = async (headers: Record<string, string>) => (await injectMcp(proxied.app, { 'x-api-key': proxied.ownerKey, ...headers })).statusCode;
    assert.equal(await status({ host: 'analytics.example.com' }), 200);
    assert.equal(await status({ host: 'analytics.example.com', origin: 'https://analytics.example.com' }), 200);
    assert.equal(await status({ host: '127.0.0.1:8787' }), 200, 'a proxy that forwards to the upstream address');
    assert.equal(await status({ host: 'a.corp.example' }), 200);
    assert.equal(await status({ host: 'mcp.example.org:8443' }), 200);
    assert.equal(await status({ host: 'corp.example' }), 403, '*.corp.example covers subdomains only');
    assert.equal(await status({ host: 'analytics.example.com.evil.test' }), 403);
    assert.equal(await status({ host: 'analytics.example.com', origin: 'https://evil.test' }), 403);
    assert.equal(await status({ host: 'analytics.example.com', 'x-forwarded-host': 'evil.test' }), 200, 'X-Forwarded-Host is not consulted');
  } finally {
    await proxied.close();
  }
});

test('http: 401 carries a Bearer challenge naming the OAuth metadata; a headers-only client fails at once', async () => {
  const metadata = `resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`;
  const none = await fetch(`${url}/mcp`, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), `Bearer realm="agent-analytics", ${metadata}`);
  const wrongKey = `aak_${'9'.repeat(48)}`;
  const wrong = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, 'x-api-key': wrongKey }, body: INITIALIZE });
  assert.equal(wrong.headers.get('www-authenticate'), `Bearer realm="agent-analytics", ${metadata}, error="invalid_token", error_description="invalid or revoked API key"`);
  assert.match(String(wrong.headers.get('access-control-expose-headers')), /WWW-Authenticate/);
  // Other API routes have no OAuth: their challenge names no metadata.
  const other = await fetch(`${url}/projects`);
  assert.equal(other.headers.get('www-authenticate'), 'Bearer realm="agent-analytics"');
  // Without an auth provider (headers only), the 401 surfaces at once with the server's message
  // (the OAuth flow itself is test/mcp/oauth.test.ts).
  await assert.rejects(connect(wrongKey), /401|invalid or revoked API key/);
});

test('http: CORS preflight of /mcp allows the MCP headers; the OAuth documents are readable cross-origin and not in the API reference', async () => {
  const pre = await fetch(`${url}/mcp`, { method: 'OPTIONS', headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key, mcp-protocol-version, mcp-session-id' } });
  assert.equal(pre.status, 204);
  const allowed = String(pre.headers.get('access-control-allow-headers')).toLowerCase().split(/,\s*/);
  for (const h of ['content-type', 'x-api-key', 'authorization', 'mcp-protocol-version', 'mcp-session-id']) assert.ok(allowed.includes(h), h);
  assert.match(String(pre.headers.get('access-control-allow-methods')), /POST/);
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-authorization-server']) {
    const res = await fetch(`${url}${path}`, { headers: { origin: 'http://localhost:6274' } });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
  }
  const tokenPre = await fetch(`${url}/oauth/token`, { method: 'OPTIONS', headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  assert.equal(tokenPre.status, 204);
  const openapi = await (await fetch(`${url}/openapi.json`)).json();
  assert.ok(!Object.keys(openapi.paths).some((p) => p.includes('well-known') || p.startsWith('/oauth/')), 'hidden from the API reference');
});
