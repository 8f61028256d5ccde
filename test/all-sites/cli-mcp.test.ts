// `agent-analytics all-sites` (the real binary) and the MCP tool get_all_sites (the SDK client over POST /mcp)
// against a real server: both hand back exactly what GET /account/all-sites answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';
import { call } from '../mcp/exercise.js';

let h: CliHarness;
let today: string;
before(async () => {
  h = await startCliHarness();
  const now = Date.now();
  today = new Date(now).toISOString().slice(0, 10);
  const at = Math.max(Math.floor(now / 86_400_000) * 86_400_000, now - 60_000);
  // shop: 3 events today; blog: 1 today; docs: none.
  for (const [name, n] of [['shop', 3], ['blog', 1], ['docs', 0]] as const) {
    const { project_token } = await h.t.newProject(h.t.ownerKey, name);
    for (let i = 0; i < n; i++) {
      const res = await h.t.app.inject({ method: 'POST', url: '/track', payload: { token: project_token, event: 'page_view', timestamp: at } });
      assert.equal(res.statusCode, 202, res.body);
    }
  }
});
after(async () => { await h.close(); });

const api = async (query: string) => {
  const res = await h.t.app.inject({ method: 'GET', url: `/account/all-sites${query}`, headers: { 'x-api-key': h.t.ownerKey } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('all-sites --json is the API body; the table names projects, shares and the daily series', async () => {
  const json = await h.cli(['all-sites', '--period', '1d', '--limit', '2', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(json.json(), await api('?period=1d&limit=2'));
  assert.deepEqual(json.json().projects.map((p: { name: string; share_pct: number }) => [p.name, p.share_pct]), [['shop', 75], ['blog', 25]]);

  const human = await h.cli(['all-sites', '--period', '1d', '--limit', '2']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^events 4 vs 0 \(new\), 2 of 3 projects active$/m);
  assert.match(human.stdout, /^PROJECT +EVENTS +SHARE +LAST ACTIVE$/m);
  assert.match(human.stdout, new RegExp(`^shop +3 +75\\.0% +${today}$`, 'm'));
  assert.match(human.stdout, new RegExp(`^blog +1 +25\\.0% +${today}$`, 'm'));
  assert.match(human.stdout, /^… and 1 more project \(raise --limit, up to 50\)$/m);
  assert.match(human.stdout, new RegExp(`^${today} +4$`, 'm'));
});

test('all-sites with a bad --limit exits 8 with MISSING_FIELDS', async () => {
  const bad = await h.cli(['all-sites', '--limit', '51', '--json']);
  assert.equal(bad.code, 8);
  assert.equal(bad.json().error, 'MISSING_FIELDS');
});

test('MCP get_all_sites answers the same as the API; a bad limit comes back as the API error', async () => {
  const client = new Client({ name: 'all-sites-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: { 'x-api-key': h.t.ownerKey } } }));
  try {
    const { tools } = await client.listTools();
    const tool = tools.find((x) => x.name === 'get_all_sites');
    assert.ok(tool, 'get_all_sites is listed');
    assert.equal(tool.annotations?.readOnlyHint, true);
    assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), ['limit', 'period']);

    const r = await call(client, 'get_all_sites', { period: '7d', limit: 1 });
    assert.equal(r.res.isError, undefined, r.text);
    assert.deepEqual(r.data, await api('?period=7d&limit=1'));
    assert.equal(r.data.summary.total_events.current, 4);
    assert.equal(r.data.remaining_projects, 2);

    const bad = await call(client, 'get_all_sites', { limit: 0 });
    assert.equal(bad.res.isError, true);
    assert.equal(bad.data.error, 'INVALID_ARGUMENTS', 'the bounds are in the tool schema');
    assert.match(bad.text, /limit must be >= 1/);
  } finally {
    await client.close();
  }
});
