// The MCP tool get_paths over streamable HTTP (the SDK's own client against the real server): its input
// schema is the route's body schema with project required, and it answers with the POST /paths body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PathsBody } from '../../src/http/schemas/paths.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../mcp/exercise.js';
import { baseTime, DEFAULT_ENTRY_PATHS, PATHS_EVENTS, trackAll } from './dataset.js';

let t: TestApp;
let client: Client;
before(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const site = await t.newProject(t.ownerKey, 'paths-site');
  await trackAll(t, site.project_token, PATHS_EVENTS, baseTime());
  client = new Client({ name: 'paths-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { 'x-api-key': t.ownerKey } } }));
});
after(async () => {
  await client?.close();
  await t?.close();
});

test('get_paths is listed with the route\'s own body schema, project required, read-only', async () => {
  const tool = (await client.listTools()).tools.find((x) => x.name === 'get_paths');
  assert.ok(tool, 'get_paths listed');
  assert.deepEqual(tool.inputSchema.properties, JSON.parse(JSON.stringify(PathsBody.properties)));
  assert.deepEqual(tool.inputSchema.required, ['project']);
  assert.equal(tool.annotations?.readOnlyHint, true);
  assert.match(tool.description ?? '', /goal_event/);
});

test('get_paths answers with the trees; errors keep the API code', async () => {
  const r = await call(client, 'get_paths', { project: 'paths-site', goal_event: 'signup' });
  assert.equal(r.res.isError, undefined, r.text);
  assert.equal(r.data.goal_event, 'signup');
  assert.deepEqual(r.data.entry_paths, DEFAULT_ENTRY_PATHS);
  const missing = await call(client, 'get_paths', { project: 'paths-site' });
  assert.equal(missing.res.isError, true);
  assert.equal(missing.data.error, 'MISSING_FIELDS');
  const unknown = await call(client, 'get_paths', { project: 'nope', goal_event: 'signup' });
  assert.equal(unknown.data.error, 'NOT_FOUND');
});
