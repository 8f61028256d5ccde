// Both MCP transports through a client that is not ours: the official MCP Inspector's CLI (0.15.x, the last
// line that supports Node 20), spawned as a user would run it — stdio (it starts `agent-analytics mcp`) and
// streamable HTTP (POST /mcp; 0.15 cannot send headers, so the key rides as ?key=).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BIN, childEnv } from '../cli/helpers.js';

/** build/index.js of @modelcontextprotocol/inspector-cli (the CLI behind `npx @modelcontextprotocol/inspector --cli`). */
function inspectorCli(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/package.json')), 'build', 'index.js');
  } catch {
    return null;
  }
}

const CLI = inspectorCli();

interface Run { code: number; stdout: string; stderr: string; json(): any }

function inspect(target: string[], args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI!, ...target, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

describe('MCP Inspector CLI', { skip: CLI === null ? 'install the devDependency @modelcontextprotocol/inspector-cli@0.15.0' : false }, () => {
  let t: TestApp;
  let url: string;
  let home: string;
  const project = 'inspected';
  before(async () => {
    t = await startTestApp();
    url = await t.listen();
    home = mkdtempSync(join(tmpdir(), 'aa-inspector-home-'));
    const created = await t.newProject(t.ownerKey, project);
    const tracked = await t.app.inject({ method: 'POST', url: '/track', payload: { token: created.project_token, event: 'signup', user_id: 'u1', session_id: 's1' } });
    assert.equal(tracked.statusCode, 202);
  });
  after(async () => {
    await t?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const env = () => childEnv(home, { AA_URL: url, AA_API_KEY: t.ownerKey });
  const transports = () => ({
    stdio: [process.execPath, BIN, 'mcp'],
    http: [`${url}/mcp?key=${t.ownerKey}`],
  });

  for (const transport of ['stdio', 'http'] as const) {
    test(`${transport}: tools/list gives every tool its strict input schema and annotations`, async () => {
      const r = await inspect(transports()[transport], ['--method', 'tools/list'], env());
      assert.equal(r.code, 0, r.stderr);
      const { tools } = r.json();
      assert.ok(tools.length >= 30);
      const stats = tools.find((x: { name: string }) => x.name === 'get_stats');
      assert.deepEqual(stats.inputSchema.required, ['project']);
      assert.equal(stats.inputSchema.additionalProperties, false);
      assert.deepEqual(stats.inputSchema.properties.group_by.enum, ['hour', 'day', 'week', 'month']);
      assert.equal(tools.find((x: { name: string }) => x.name === 'rotate_api_key').annotations.destructiveHint, true);
    });

    test(`${transport}: tools/call answers with compact JSON and structured content; unknown arguments are named`, async () => {
      const r = await inspect(transports()[transport], ['--method', 'tools/call', '--tool-name', 'list_events', '--tool-arg', `project=${project}`, '--tool-arg', 'limit=1'], env());
      assert.equal(r.code, 0, r.stderr);
      const result = r.json();
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.equal(result.structuredContent.events[0].event, 'signup');
      assert.equal(result.content.at(-1).text, JSON.stringify(result.structuredContent));
      const bad = await inspect(transports()[transport], ['--method', 'tools/call', '--tool-name', 'get_stats', '--tool-arg', `project=${project}`, '--tool-arg', 'groupBy=hour'], env());
      assert.equal(bad.code, 0, bad.stderr);
      assert.equal(bad.json().isError, true);
      assert.equal(bad.json().content[0].text, 'invalid arguments for get_stats: unknown argument "groupBy"; valid: project, since, group_by, filters');
    });
  }
});
