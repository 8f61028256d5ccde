// The MCP tool get_paths over streamable HTTP (the SDK's own client against the real server): its input
// schema is the route's body schema (narrowed, project and goal_event required), and it answers with the
// POST /paths body — with smaller default trees than the route (entry_limit 5, path_limit 3) to fit a context.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PathsBody } from '../../src/schemas/paths.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../mcp/exercise.js';
import { assertNarrowsRoute } from '../mcp/narrows.js';
import { baseTime, DEFAULT_ENTRY_PATHS, PATHS_EVENTS, trackAll } from './dataset.js';

let t: TestApp;
let client: Client;
before(async () => {
  t = await startTestApp();
  const url = await t.listen();
  const site = await t.newProject(t.ownerKey, 'paths-site');
  await trackAll(t, site.project_token, PATHS_EVENTS, baseTime());
  client = new Client({ name: 'paths-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { 'x-api-key': t.ownerKey } } }));
});
after(async () => {
  await client?.close();
  await t?.close();
});

test('get_paths is listed with the route\'s own body schema, project and goal_event required, read-only', async () => {
  const tool = (await client.listTools()).tools.find((x) => x.name === 'get_paths');
  assert.ok(tool, 'get_paths listed');
  assertNarrowsRoute('get_paths', tool.inputSchema, PathsBody);
  assert.deepEqual(tool.inputSchema.required, ['project', 'goal_event']);
  assert.equal(tool.annotations?.readOnlyHint, true);
  assert.match(tool.description ?? '', /goal_event/);
});

test('get_paths answers with the trees; errors keep the API code', async () => {
  const r = await call(client, 'get_paths', { project: 'paths-site', goal_event: 'signup', entry_limit: 10, path_limit: 5 });
  assert.equal(r.res.isError, undefined, r.text);
  assert.equal(r.data.goal_event, 'signup');
  assert.deepEqual(r.data.entry_paths, DEFAULT_ENTRY_PATHS, 'with the route\'s defaults, the route\'s answer');
  const small = await call(client, 'get_paths', { project: 'paths-site', goal_event: 'signup' });
  assert.deepEqual([small.data.bounds.entry_limit, small.data.bounds.path_limit, small.data.bounds.max_steps], [5, 3, 5], 'the tool\'s defaults');
  const missing = await call(client, 'get_paths', { project: 'paths-site' });
  assert.equal(missing.res.isError, true);
  assert.equal(missing.data.error, 'INVALID_ARGUMENTS');
  assert.match(missing.text, /missing required goal_event/);
  const outOfRange = await call(client, 'get_paths', { project: 'paths-site', goal_event: 'signup', max_steps: 9 });
  assert.match(outOfRange.text, /max_steps must be <= 5/);
  const unknown = await call(client, 'get_paths', { project: 'nope', goal_event: 'signup' });
  assert.equal(unknown.data.error, 'NOT_FOUND');
});
