// `agent-analytics login` through the browser approval flow (issue 16): the real CLI process prints the approval
// URL and polls; the approval page is answered over HTTP as a browser form would; the saved session then works
// within its scopes, renews itself when its access token is refused, and logout revokes it on the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, type CliHarness, childEnv, startCliHarness } from './helpers.js';

let h: CliHarness;
before(async () => { h = await startCliHarness(); });
after(async () => { await h.close(); });

const noEnv = { AA_URL: undefined, AA_API_KEY: undefined };
const configPath = () => join(h.home, 'xdg', 'agent-analytics', 'config.json');

/** Run `login` as a child, approve (or deny) the URL it prints, and return its exit and output. */
function loginAndDecide(args: string[], decision: 'approve' | 'deny'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', '--url', h.url, ...args], { env: childEnv(h.home, {}) });
    let stdout = '';
    let stderr = '';
    let decided = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', async (d) => {
      stderr += d;
      const url = /(http:\/\/\S+\/agent-sessions\/authorize\/\S+)/.exec(stderr)?.[1];
      if (!url || decided) return;
      decided = true;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url }, body: new URLSearchParams({ decision, api_key: h.t.ownerKey }) });
      if (res.status !== 200) reject(new Error(`approval answered ${res.status}`));
    });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`login did not finish: ${stderr}`)); }, 20_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, stdout, stderr }); });
  });
}

test('login without a key: approval in the browser saves a scoped session that works and renews itself', async () => {
  await h.t.newProject(h.t.ownerKey, 'cli-site');
  const r = await loginAndDecide(['--scopes', 'analytics:read,projects:read', '--json'], 'approve');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Open this URL in a browser/);
  assert.deepEqual(r.stdout && JSON.parse(r.stdout).session.scopes, ['projects:read', 'analytics:read']);
  assert.equal(statSync(configPath()).mode & 0o777, 0o600);
  const saved = JSON.parse(readFileSync(configPath(), 'utf8'));
  assert.match(saved.agent_session.access_token, /^aas_/);
  assert.equal(saved.api_key, undefined);

  const projects = await h.cli(['projects', 'list', '--json'], noEnv);
  assert.equal(projects.code, 0, projects.stderr);
  assert.ok(projects.json().projects.some((p: { name: string }) => p.name === 'cli-site'));
  const stats = await h.cli(['stats', '-p', 'cli-site', '--json'], noEnv);
  assert.equal(stats.code, 0, stats.stderr);
  const create = await h.cli(['projects', 'create', 'nope', '--json'], noEnv);
  assert.notEqual(create.code, 0);
  assert.equal(create.json().error, 'INSUFFICIENT_SCOPE');
  assert.match(create.json().message, /"projects:write"/);

  // A refused access token: the client refreshes once, retries, and saves the rotated pair.
  writeFileSync(configPath(), JSON.stringify({ ...saved, agent_session: { ...saved.agent_session, access_token: `aas_${'x'.repeat(43)}` } }));
  const again = await h.cli(['projects', 'list', '--json'], noEnv);
  assert.equal(again.code, 0, again.stderr);
  const rotated = JSON.parse(readFileSync(configPath(), 'utf8')).agent_session;
  assert.notEqual(rotated.refresh_token, saved.agent_session.refresh_token);
  assert.equal(statSync(configPath()).mode & 0o777, 0o600);

  const out = await h.cli(['logout', '--json'], noEnv);
  assert.equal(out.json().session_revoked, true);
  const sessions = (await h.t.request('GET', '/account/agent-sessions')).json().agent_sessions;
  assert.ok(!sessions.some((s: { id: string }) => s.id === rotated.id), 'logout revoked the session on the server');
});

test('a denied login exits non-zero and saves nothing', async () => {
  const r = await loginAndDecide([], 'deny');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /denied/);
});

test('an unknown scope is a usage error', async () => {
  const r = await h.cli(['login', '--url', h.url, '--scopes', 'root'], noEnv);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /unknown scope "root"/);
});

test('read-only access for an agent in three commands: keys create, then the agent uses the printed key', async () => {
  await h.t.newProject(h.t.ownerKey, 'three-site');
  const created = await h.cli(['keys', 'create', 'report agent', '--scopes', 'analytics:read,projects:read', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const key = created.json().api_key;
  const stats = await h.cli(['stats', '-p', 'three-site', '--json'], { AA_API_KEY: key });
  assert.equal(stats.code, 0, stats.stderr);
  const del = await h.cli(['projects', 'delete', 'three-site', '--json'], { AA_API_KEY: key });
  assert.notEqual(del.code, 0);
  assert.match(del.json().message, /"projects:write"/);
  const listed = await h.cli(['keys', 'list']);
  assert.match(listed.stdout, /report agent\s+projects:read,analytics:read\s+all\s+never/);
  const id = created.json().key.id;
  assert.equal((await h.cli(['keys', 'delete', id])).code, 0);
  assert.equal((await h.cli(['stats', '-p', 'three-site', '--json'], { AA_API_KEY: key })).code, 3, 'a deleted key is refused (exit 3, auth)');
  const sessions = await h.cli(['agent-sessions', 'list', '--json']);
  assert.equal(sessions.code, 0, sessions.stderr);
  assert.ok(Array.isArray(sessions.json().agent_sessions));
});
