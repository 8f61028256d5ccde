// `agent-analytics bot-traffic` (the real binary against a real server) and the `get_bot_traffic` MCP tool
// (the SDK's client over POST /mcp): both answer with the API's own body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BotTrafficQuery } from '../../src/schemas/bot-traffic.js';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';
import { call } from '../mcp/exercise.js';
import { assertNarrowsRoute } from '../mcp/narrows.js';

let h: CliHarness;
const P = 'cli-bots';
before(async () => {
  h = await startCliHarness({ AA_BOT_FLUSH_MS: '0' });
  const { project_token: token } = await h.t.newProject(h.t.ownerKey, P);
  const send = async (ua: string, payload: unknown, url = '/track') => {
    const res = await h.t.app.inject({ method: 'POST', url, headers: { 'user-agent': ua, 'content-type': 'text/plain' }, payload: JSON.stringify(payload) });
    assert.equal(res.statusCode, 200, res.body);
  };
  await send('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { token, event: 'page_view' });
  await send('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { token, event: 'page_view' });
  await send('GPTBot/1.1', { events: [{ token, event: 'a' }, { token, event: 'b' }, { token, event: 'c' }] }, '/track/batch');
});
after(async () => { await h.close(); });

const api = async (url: string) => (await h.t.app.inject({ url, headers: { 'x-api-key': h.t.ownerKey } })).json();

test('bot-traffic --json prints the API body; the table names actors, categories and the change', async () => {
  const json = await h.cli(['bot-traffic', '-p', P, '--period', '14d', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(json.json(), await api(`/bot-traffic?project=${P}&period=14d`));
  assert.deepEqual(json.json().actors.map((a: any) => [a.actor, a.requests, a.dropped_events]), [['Googlebot', 2, 2], ['GPTBot', 1, 3]]);

  const human = await h.cli(['bot-traffic', '-p', P]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`^${P}: bot traffic \\d{4}-\\d\\d-\\d\\d → \\d{4}-\\d\\d-\\d\\d vs .* \\(7d\\)$`, 'm'));
  assert.match(human.stdout, /^3 automated requests \(new\), 5 dropped events \(new\); last seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
  assert.match(human.stdout, /^search_crawler +2 +2 +66\.7%$/m);
  assert.match(human.stdout, /^ai_agent +1 +3 +33\.3%$/m);
  assert.match(human.stdout, /^Googlebot +search_crawler +2 +2 +\d{4}-/m);
});

test('bot-traffic --account: the account-wide body and its project table', async () => {
  const json = await h.cli(['bot-traffic', '--account', '--limit', '5', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(json.json(), await api('/account/bot-traffic?limit=5'));
  assert.equal(json.json().scope, 'account');
  const human = await h.cli(['bot-traffic', '--account']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^1 of 1 projects saw bots$/m);
  assert.match(human.stdout, new RegExp(`^${P} +3 +5 +100\\.0%`, 'm'));
});

test('bot-traffic failures: no --project 64, both --account and --project 64, bad period 8, unknown project 4', async () => {
  assert.equal((await h.cli(['bot-traffic'])).code, 64);
  assert.equal((await h.cli(['bot-traffic', '--account', '-p', P])).code, 64);
  const bad = await h.cli(['bot-traffic', '-p', P, '--period', '2w', '--json']);
  assert.equal(bad.code, 8);
  assert.equal(bad.json().error, 'MISSING_FIELDS');
  const limit = await h.cli(['bot-traffic', '--account', '--limit', '51', '--json']);
  assert.equal(limit.code, 8);
  assert.equal((await h.cli(['bot-traffic', '-p', 'nope'])).code, 4);
});

test('MCP get_bot_traffic: the route\'s schema; with project = /bot-traffic, without = /account/bot-traffic', async () => {
  const client = new Client({ name: 'bot-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: { 'x-api-key': h.t.ownerKey } } }));
  try {
    const tool = (await client.listTools()).tools.find((x) => x.name === 'get_bot_traffic');
    assert.ok(tool, 'get_bot_traffic is listed');
    assertNarrowsRoute('get_bot_traffic', tool.inputSchema, BotTrafficQuery);
    assert.equal(tool.annotations?.readOnlyHint, true);
    const one = await call(client, 'get_bot_traffic', { project: P, period: '30d', limit: 1 });
    assert.equal(one.res.isError, undefined, one.text);
    assert.deepEqual(one.data, await api(`/bot-traffic?project=${P}&period=30d&limit=1`));
    assert.deepEqual(one.data.actors.map((a: any) => a.actor), ['Googlebot']);
    const all = await call(client, 'get_bot_traffic', {});
    assert.equal(all.data.scope, 'account');
    assert.equal(all.data.summary.automated_requests.current, 3);
    const bad = await call(client, 'get_bot_traffic', { project: P, period: '2w' });
    assert.equal(bad.res.isError, true);
    assert.equal(bad.data.error, 'INVALID_ARGUMENTS', 'the closed set is in the tool schema');
    assert.match(bad.text, /period must be one of: 1d, 7d, 14d, 30d, 90d/);
  } finally {
    await client.close();
  }
});
