// CLI credentials end to end: login writes a 0600 config file, env overrides it, flags override env; exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from './helpers.js';

let h: CliHarness;
before(async () => { h = await startCliHarness(); });
after(async () => { await h.close(); });

const noEnv = { AA_URL: undefined, AA_API_KEY: undefined };
const configPath = () => join(h.home, 'xdg', 'agent-analytics', 'config.json');
const homeConfigPath = () => join(h.home, '.config', 'agent-analytics', 'config.json');

test('login refuses a wrong key and writes nothing', async () => {
  const r = await h.cli(['login', '--url', h.url, '--key', `aak_${'f'.repeat(48)}`], noEnv);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /AUTH_REQUIRED/);
  assert.match(r.stderr, /hint: check the API key/);
  assert.equal(existsSync(configPath()), false);
});

test('login saves url and key with mode 0600; later commands use them', async () => {
  const r = await h.cli(['login', '--url', h.url, '--key', h.t.ownerKey], noEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Logged in to http:\/\/127\.0\.0\.1:\d+ as /);
  assert.equal(statSync(configPath()).mode & 0o777, 0o600);
  assert.equal(statSync(join(h.home, 'xdg', 'agent-analytics')).mode & 0o777, 0o700);
  assert.deepEqual(JSON.parse(readFileSync(configPath(), 'utf8')), { url: h.url, api_key: h.t.ownerKey });

  const who = await h.cli(['whoami', '--json'], noEnv);
  assert.equal(who.code, 0, who.stderr);
  const body = who.json();
  assert.equal(body.url, h.url);
  assert.equal(body.url_source, 'config file');
  assert.equal(body.key_source, 'config file');
  assert.equal(body.key, `${h.t.ownerKey.slice(0, 8)}…${h.t.ownerKey.slice(-4)}`);
  assert.equal(body.account.tier, 'pro');
  assert.equal(typeof body.account.tier_limits.rate_limit_rpm, 'number');

  const human = await h.cli(['whoami'], noEnv);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /tier pro/);
  assert.match(human.stdout, /api key {2}aak_0000…0001 {2}\[config file\]/);
});

test('AA_API_KEY overrides the file, --key overrides AA_API_KEY', async () => {
  const bad = `aak_${'e'.repeat(48)}`;
  const envWins = await h.cli(['whoami', '--json'], { AA_URL: undefined, AA_API_KEY: bad });
  assert.equal(envWins.code, 3);
  assert.equal(envWins.json().error, 'AUTH_REQUIRED', '--json errors are one JSON document on stdout');
  assert.equal(envWins.json().status, 401);
  const flagWins = await h.cli(['whoami', '--json', '--key', h.t.ownerKey], { AA_URL: undefined, AA_API_KEY: bad });
  assert.equal(flagWins.code, 0, flagWins.stderr);
  assert.equal(flagWins.json().key_source, 'flag');
});

test('without XDG_CONFIG_HOME the file lives in ~/.config; logout removes it', async () => {
  const env = { ...noEnv, XDG_CONFIG_HOME: '' };
  assert.equal((await h.cli(['logout'], noEnv)).code, 0);
  assert.equal(existsSync(configPath()), false);
  assert.equal((await h.cli(['login', '--url', h.url, '--key', h.t.ownerKey], env)).code, 0);
  assert.equal(statSync(homeConfigPath()).mode & 0o777, 0o600);
  assert.equal((await h.cli(['whoami'], env)).code, 0, 'read back from ~/.config');
  const out = await h.cli(['logout'], env);
  assert.equal(out.code, 0);
  assert.equal(existsSync(homeConfigPath()), false);
  const who = await h.cli(['whoami'], env);
  assert.equal(who.code, 78, 'no key anywhere: not configured');
  assert.match(who.stderr, /agent-analytics login/);
});

test('exit codes: unreachable 69, unknown command/option 64, bad URL 78', async () => {
  const down = await h.cli(['whoami'], { AA_URL: 'http://127.0.0.1:9' });
  assert.equal(down.code, 69);
  assert.match(down.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
  const unknown = await h.cli(['nope']);
  assert.equal(unknown.code, 64);
  assert.match(unknown.stderr, /unknown command "nope"/);
  const badOpt = await h.cli(['stats', '--bogus']);
  assert.equal(badOpt.code, 64);
  assert.match(badOpt.stderr, /Unknown option '--bogus'/);
  assert.match(badOpt.stderr, /Usage:\n {2}agent-analytics stats/);
  const badUrl = await h.cli(['whoami'], { AA_URL: 'ftp://example' });
  assert.equal(badUrl.code, 78);
  const help = await h.cli(['--help']);
  assert.equal(help.code, 0);
  for (const c of ['login', 'whoami', 'projects', 'stats', 'funnel', 'experiments', 'track', 'mcp']) assert.match(help.stdout, new RegExp(`\\n  ${c} `));
});

test('revoke-key asks for --yes, then rotates and updates the saved key', async () => {
  const key = await h.t.newAccount('pro');
  const env = { AA_URL: undefined, AA_API_KEY: undefined };
  assert.equal((await h.cli(['login', '--url', h.url, '--key', key], env)).code, 0);
  const refused = await h.cli(['revoke-key'], env);
  assert.equal(refused.code, 64);
  const r = await h.cli(['revoke-key', '--yes', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const { api_key, saved_to } = r.json();
  assert.match(api_key, /^aak_[0-9a-f]{48}$/);
  assert.equal(saved_to, configPath());
  assert.equal(JSON.parse(readFileSync(configPath(), 'utf8')).api_key, api_key);
  assert.equal(statSync(configPath()).mode & 0o777, 0o600);
  assert.equal((await h.cli(['whoami'], env)).code, 0, 'the saved (new) key works');
  assert.equal((await h.cli(['whoami'], { AA_URL: h.url, AA_API_KEY: key })).code, 3, 'the old key is revoked');
  await h.cli(['logout'], env);
});
