// `agent-analytics context get|set|clear` and `agent-analytics feedback` (the real binary against a real
// server), and the get_project_context / set_project_context / send_feedback MCP tools (the SDK's client
// over POST /mcp): both answer with the API's own bodies.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FeedbackBody, FeedbackMessage, ProjectContextQuery, PutProjectContextBody } from '../../src/schemas/project-context.js';
import { assertNarrowsRoute } from '../mcp/narrows.js';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';
import { call } from '../mcp/exercise.js';

let h: CliHarness;
const P = 'cli-ctx';
let projectId: string;
before(async () => {
  h = await startCliHarness();
  projectId = (await h.t.newProject(h.t.ownerKey, P)).id;
});
after(async () => { await h.close(); });

const api = async (url: string) => (await h.t.app.inject({ url, headers: { 'x-api-key': h.t.ownerKey } })).json();
const GLOSSARY = [{ event_name: 'signup', term: 'Trial start', definition: 'A visitor created an account.' }];

test('context get on an empty project: the API body with --json, a hint without', async () => {
  const json = await h.cli(['context', 'get', '-p', P, '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(json.json(), { project: P, project_id: projectId, project_context: { goals: [], activation_events: [], glossary: [] } });
  const human = await h.cli(['context', 'get', '-p', P]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`^${P} has no context yet: set it with \`agent-analytics context set --project ${P}`));
});

test('context set from flags, then from a file (flags override its lists), get renders it, clear empties it', async () => {
  const set = await h.cli(['context', 'set', '-p', P, '--goal', 'Turn visitors into trial signups', '--goal', 'Keep them, too', '--activation-event', 'signup', '--glossary', JSON.stringify(GLOSSARY), '--json']);
  assert.equal(set.code, 0, set.stderr);
  const expected = { goals: ['Turn visitors into trial signups', 'Keep them, too'], activation_events: ['signup'], glossary: GLOSSARY };
  assert.deepEqual(set.json(), { ok: true, project: P, project_id: projectId, project_context: expected });
  assert.deepEqual((await api(`/project-context?project=${P}`)).project_context, expected);

  const human = await h.cli(['context', 'get', '-p', P]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`^${P} \\(${projectId}\\) context$`, 'm'));
  assert.match(human.stdout, /^ {2}1\. Turn visitors into trial signups$/m);
  assert.match(human.stdout, /^ {2}2\. Keep them, too$/m);
  assert.match(human.stdout, /^Activation events: signup$/m);
  assert.match(human.stdout, /^signup +Trial start +A visitor created an account\.$/m);

  // A file in the shape `context get --json` prints; --activation-event replaces the file's list.
  const file = join(h.home, 'context.json');
  writeFileSync(file, JSON.stringify({ project: P, project_id: projectId, project_context: { goals: ['From the file'], activation_events: ['ignored'], glossary: GLOSSARY } }));
  const fromFile = await h.cli(['context', 'set', '-p', P, '--file', file, '--activation-event', 'purchase']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /^Saved\. cli-ctx/);
  assert.deepEqual((await api(`/project-context?project=${P}`)).project_context, { goals: ['From the file'], activation_events: ['purchase'], glossary: GLOSSARY });
  // The stats echo carries it.
  assert.deepEqual((await api(`/stats?project=${P}`)).project_context.goals, ['From the file']);

  const clear = await h.cli(['context', 'clear', '-p', P]);
  assert.equal(clear.code, 0, clear.stderr);
  assert.match(clear.stdout, /^Cleared the context of cli-ctx/);
  assert.deepEqual((await api(`/project-context?project=${P}`)).project_context, { goals: [], activation_events: [], glossary: [] });
});

test('context failures: usage 64, over a limit 8 (INVALID_BODY), unknown project 4', async () => {
  assert.equal((await h.cli(['context'])).code, 64);
  assert.equal((await h.cli(['context', 'get'])).code, 64, 'no --project');
  assert.equal((await h.cli(['context', 'set', '-p', P])).code, 64, 'nothing to set');
  assert.equal((await h.cli(['context', 'set', '-p', P, '--glossary', '{"a":1}'])).code, 64);
  assert.equal((await h.cli(['context', 'set', '-p', P, '--file', join(h.home, 'missing.json')])).code, 64);
  const over = await h.cli(['context', 'set', '-p', P, '--goal', 'x'.repeat(161), '--json']);
  assert.equal(over.code, 8);
  assert.equal(over.json().error, 'INVALID_BODY');
  assert.match(over.json().message, /goals\[0\] is 161 characters; the limit is 160/);
  assert.equal((await h.cli(['context', 'get', '-p', 'nope'])).code, 4);
});

test('feedback "<message>" sends it with the project, command and JSON context; no message is a usage error', async () => {
  const res = await h.cli(['feedback', 'The', 'funnel command needs --since 90d', '-p', P, '--command', 'agent-analytics funnel', '--context', '{"steps":3}']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'Thanks — feedback sent.');
  const json = await h.cli(['feedback', 'second note', '--context', 'plain text', '--json']);
  assert.deepEqual(json.json(), { ok: true });
  const [second, first] = await h.t.stores.meta.listFeedback({ limit: 2 });
  assert.deepEqual([first.message, first.project_id, first.command, first.context], ['The funnel command needs --since 90d', projectId, 'agent-analytics funnel', { steps: 3 }]);
  assert.deepEqual([second.message, second.project_id, second.context], ['second note', null, 'plain text']);
  assert.equal((await h.cli(['feedback'])).code, 64);
  assert.equal((await h.cli(['feedback', 'hi', '-p', 'nope'])).code, 4);
});

test('MCP: get_project_context, set_project_context and send_feedback use the routes\' schemas and answer with the API bodies', async () => {
  const client = new Client({ name: 'ctx-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: { 'x-api-key': h.t.ownerKey } } }));
  try {
    const tools = new Map((await client.listTools()).tools.map((x) => [x.name, x]));
    assertNarrowsRoute('get_project_context', tools.get('get_project_context')!.inputSchema, ProjectContextQuery);
    assertNarrowsRoute('set_project_context', tools.get('set_project_context')!.inputSchema, PutProjectContextBody);
    assertNarrowsRoute('send_feedback', tools.get('send_feedback')!.inputSchema, { ...FeedbackBody, properties: { ...FeedbackBody.properties, message: FeedbackMessage } });
    assert.deepEqual(tools.get('set_project_context')!.inputSchema.required, ['project']);
    assert.deepEqual(tools.get('send_feedback')!.inputSchema.required, ['message']);
    assert.equal(tools.get('get_project_context')!.annotations?.readOnlyHint, true);
    assert.equal(tools.get('set_project_context')!.annotations?.readOnlyHint, false);

    const set = await call(client, 'set_project_context', { project: P, goals: ['Grow signups'], glossary: GLOSSARY });
    assert.equal(set.res.isError, undefined, set.text);
    assert.deepEqual(set.data, { ok: true, project: P, project_id: projectId, project_context: { goals: ['Grow signups'], activation_events: [], glossary: GLOSSARY } });
    const got = await call(client, 'get_project_context', { project: P });
    assert.deepEqual(got.data, await api(`/project-context?project=${P}`));
    assert.deepEqual(got.data.project_context.goals, ['Grow signups']);
    const stats = await call(client, 'get_stats', { project: P });
    assert.deepEqual(stats.data.project_context.goals, ['Grow signups'], 'analytics tools carry the echo');

    const over = await call(client, 'set_project_context', { project: P, goals: Array(6).fill('g') });
    assert.equal(over.res.isError, true, 'the schema states the limit');
    const sent = await call(client, 'send_feedback', { message: 'MCP works', project: P, context: { tool: 'get_stats' } });
    assert.equal(sent.res.isError, undefined, sent.text);
    assert.deepEqual(sent.data, { ok: true });
    const [latest] = await h.t.stores.meta.listFeedback({ limit: 1 });
    assert.deepEqual([latest.message, latest.project_id, latest.context], ['MCP works', projectId, { tool: 'get_stats' }]);
    const missing = await call(client, 'send_feedback', {});
    assert.equal(missing.res.isError, true);
  } finally {
    await client.close();
  }
});
