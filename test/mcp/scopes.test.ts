// MCP tools under least privilege (issue 16): over POST /mcp with a read-only named key and with an agent token
// (Bearer aas_), reads work and every write tool is refused with a message naming the missing scope.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { approvedSession } from '../helpers/agent-sessions.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from './exercise.js';

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  url = await t.listen();
  await t.newProject(t.ownerKey, 'mcp-site');
});
after(async () => { await t.close(); });

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'scopes-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  return client;
}

const agentToken = async (scopes: string[]): Promise<string> => (await approvedSession(t.app, t.ownerKey, scopes)).agent_session.access_token;

for (const kind of ['named key', 'agent token'] as const) {
  test(`${kind}: reads pass, writes are refused naming the missing scope`, async () => {
    const scopes = ['analytics:read', 'projects:read'];
    const headers: Record<string, string> = kind === 'named key'
      ? { 'x-api-key': (await t.request('POST', '/account/keys', { name: 'mcp reader', scopes })).json().api_key }
      : { authorization: `Bearer ${await agentToken(scopes)}` };
    const client = await connect(headers);
    try {
      const stats = await call(client, 'get_stats', { project: 'mcp-site' });
      assert.equal(stats.res.isError, undefined, stats.text);
      assert.equal((await call(client, 'list_projects')).res.isError, undefined);
      const create = await call(client, 'create_project', { name: 'nope' });
      assert.equal(create.res.isError, true);
      assert.match(create.text, /INSUFFICIENT_SCOPE \(HTTP 403\)/);
      assert.match(create.text, /"projects:write"/);
      assert.match(create.text, /Hint: this credential may not do that/);
      const live = await call(client, 'get_live', { project: 'mcp-site' });
      assert.match(live.text, /"live:read"/);
      const rotate = await call(client, 'rotate_api_key', { confirm: true });
      assert.equal(rotate.res.isError, true);
      assert.match(rotate.text, /only the account owner/);
    } finally {
      await client.close();
    }
  });
}
