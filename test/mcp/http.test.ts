// MCP over streamable HTTP at POST /mcp: the SDK's own client against the real server on a real port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, exerciseTools } from './exercise.js';

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(async () => { await t.close(); });

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
    const r = await call(client, 'get_experiment', { id: 'exp_mcpoldnoconv001' });
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
