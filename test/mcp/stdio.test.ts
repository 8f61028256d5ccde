// MCP over stdio: the SDK's own client spawns `agent-analytics mcp`, which talks to a real server over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BIN, childEnv } from '../cli/helpers.js';
import { call, exerciseRotation, exerciseTools } from './exercise.js';

let t: TestApp;
let url: string;
let home: string;
before(async () => {
  t = await startTestApp();
  url = await t.listen();
  home = mkdtempSync(join(tmpdir(), 'aa-mcp-home-'));
});
after(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

async function connect(apiKey: string): Promise<Client> {
  const env = childEnv(home, { AA_URL: url, AA_API_KEY: apiKey }) as Record<string, string>;
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env, stderr: 'pipe' }));
  return client;
}

test('stdio: server info, every tool, errors', async () => {
  const client = await connect(t.ownerKey);
  try {
    assert.equal(client.getServerVersion()?.name, 'agent-analytics');
    assert.match(client.getInstructions() ?? '', /flags/);
    await exerciseTools(client, t.app, 'stdio');
  } finally {
    await client.close();
  }
});

test('stdio: rotate_api_key returns the new key once and the session keeps working with it', async () => {
  const key = await t.newAccount('pro');
  const client = await connect(key);
  try {
    await exerciseRotation(client, t.app, key, true);
  } finally {
    await client.close();
  }
});

test('stdio: a revoked or wrong key surfaces as a tool error with what to do', async () => {
  const client = await connect(`aak_${'9'.repeat(48)}`);
  try {
    const r = await call(client, 'get_account');
    assert.equal(r.res.isError, true);
    assert.equal(r.data.error, 'AUTH_REQUIRED');
    assert.equal(r.data.status, 401);
    assert.match(r.text, /AA_API_KEY/);
  } finally {
    await client.close();
  }
});
