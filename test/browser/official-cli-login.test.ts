// The official Agent Analytics CLI 0.5.33, unchanged, signs in to this server: its `login` (interactive: a
// loopback callback with a PKCE verifier; detached: a finish code pasted back) is approved on our approval page
// in headless Chromium, and the issued agent session then runs `projects` and `stats`, and `logout` revokes it.
// The CLI is not vendored: it is taken from AA_OFFICIAL_CLI_DIR (a checkout) or from the local mirror of
// github:Agent-Analytics/agent-analytics-cli at its 0.5.33 release commit; without either the suite is skipped.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP_UA, launchChromium } from './harness.js';

const MIRROR = '/work/.mirror/Agent-Analytics+agent-analytics-cli/repo';
const RELEASE = '1b147a4'; // "chore: prepare cli 0.5.33 release"

/** A directory holding the official CLI 0.5.33 (bin/cli.mjs), or null. */
function officialCli(): string | null {
  const dir = process.env.AA_OFFICIAL_CLI_DIR;
  if (dir) return existsSync(join(dir, 'bin', 'cli.mjs')) ? dir : null;
  if (!existsSync(MIRROR)) return null;
  const out = mkdtempSync(join(tmpdir(), 'aa-official-cli-'));
  execFileSync('sh', ['-c', `git --git-dir="${MIRROR}" archive ${RELEASE} | tar -x -C "${out}"`]);
  return out;
}

const CLI_DIR = officialCli();
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

interface Run { code: number; out: string }

describe('official CLI 0.5.33 login against this server', { skip: CLI_DIR === null ? 'no official CLI: set AA_OFFICIAL_CLI_DIR to a checkout of github:Agent-Analytics/agent-analytics-cli@0.5.33' : false }, () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let configDir: string;

  before(async () => {
    assert.equal(JSON.parse(readFileSync(join(CLI_DIR!, 'package.json'), 'utf8')).version, '0.5.33');
    t = await startTestApp();
    url = await t.listen();
    const project = await t.newProject(t.ownerKey, 'official-site');
    const track = await t.app.inject({ method: 'POST', url: '/track', payload: { token: project.project_token, event: 'page_view', properties: { path: '/' } } });
    assert.equal(track.statusCode, 202);
    browser = await launchChromium([]);
    configDir = mkdtempSync(join(tmpdir(), 'aa-official-cfg-'));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    rmSync(configDir, { recursive: true, force: true });
    if (!process.env.AA_OFFICIAL_CLI_DIR && CLI_DIR) rmSync(CLI_DIR, { recursive: true, force: true });
  });

  /** Run the official CLI; `onOutput` sees its output as it arrives (to act on the approval URL). */
  function official(args: string[], onOutput?: (text: string) => void): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(CLI_DIR!, 'bin', 'cli.mjs'), ...args], {
        env: {
          PATH: process.env.PATH, HOME: configDir, AGENT_ANALYTICS_URL: url, AGENT_ANALYTICS_CONFIG_DIR: configDir,
          AGENT_ANALYTICS_CREDENTIAL_STORE: 'file', AGENT_ANALYTICS_OPEN_COMMAND: 'true', AGENT_ANALYTICS_AUTH_TIMEOUT_MS: '30000', NO_COLOR: '1',
        },
      });
      let out = '';
      const seen = (d: Buffer) => { out += d; onOutput?.(strip(out)); };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      const timer = setTimeout(() => child.kill(), 40_000);
      child.on('exit', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, out: strip(out) }); });
    });
  }

  /** Approve an authorize URL in Chromium with the owner key; the page the browser ends on. */
  async function approveInBrowser(authorizeUrl: string) {
    const context = await browser.newContext({ userAgent: DESKTOP_UA });
    const page = await context.newPage();
    await page.goto(authorizeUrl);
    assert.match(await page.locator('h1').innerText(), /Allow agent access/);
    await page.getByLabel("Your account's API key (aak_…)").fill(t.ownerKey);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Approve' }).click()]);
    return { page, context };
  }

  test('interactive login: the browser approval reaches the CLI loopback; projects and stats work with the token', async () => {
    let approving: Promise<unknown> | null = null;
    let landed = '';
    const login = await official(['login'], (text) => {
      const m = /Approval URL: (\S+)/.exec(text);
      if (m && !approving) {
        approving = approveInBrowser(m[1]).then(async ({ page, context }) => {
          await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
          landed = page.url();
          await context.close();
        });
      }
    });
    await approving;
    assert.equal(login.code, 0, login.out);
    assert.match(landed, /\/callback\?request_id=areq_[a-z0-9]+&exchange_code=/);
    assert.match(login.out, /Connected as .+ \(pro\)/);
    const saved = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')).agent_session;
    assert.match(saved.access_token, /^aas_/);
    assert.ok(saved.scopes.includes('projects:read'));

    const projects = await official(['projects']);
    assert.equal(projects.code, 0, projects.out);
    assert.match(projects.out, /official-site/);
    const stats = await official(['stats', 'official-site']);
    assert.equal(stats.code, 0, stats.out);
    assert.match(stats.out, /official-site/);

    const sessions = (await t.request('GET', '/account/agent-sessions')).json().agent_sessions;
    assert.ok(sessions.some((s: { id: string; client_type: string }) => s.id === saved.id && s.client_type === 'cli'));
    const logout = await official(['logout']);
    assert.equal(logout.code, 0, logout.out);
    const after = (await t.request('GET', '/account/agent-sessions')).json().agent_sessions;
    assert.ok(!after.some((s: { id: string }) => s.id === saved.id), 'logout revoked the session on the server');
  });

  test('detached login: the finish code shown on the page completes `login --auth-request --exchange-code`', async () => {
    const started = await official(['login', '--detached']);
    assert.equal(started.code, 0, started.out);
    const authorizeUrl = /Approval URL: (\S+)/.exec(started.out)![1];
    const requestId = /created: (areq_[a-z0-9]+)/.exec(started.out)![1];
    const { page, context } = await approveInBrowser(authorizeUrl);
    assert.match(await page.locator('h1').innerText(), /Access approved/);
    const code = (await page.getByLabel('Finish code').innerText()).trim();
    await context.close();
    const finish = await official(['login', '--auth-request', requestId, '--exchange-code', code]);
    assert.equal(finish.code, 0, finish.out);
    assert.match(finish.out, /Connected as/);
    const projects = await official(['projects']);
    assert.match(projects.out, /official-site/);
    const reuse = await official(['login', '--auth-request', requestId, '--exchange-code', code]);
    assert.match(reuse.out, /Connected as/, 'an already exchanged request falls back to the saved session, as the CLI intends');
  });
});
