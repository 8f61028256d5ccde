// `projects` end to end: every subcommand, --json shapes, human output, and the exit code of each failure kind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from './helpers.js';

let h: CliHarness;
before(async () => { h = await startCliHarness(); });
after(async () => { await h.close(); });

test('create (201, then idempotent 200), list, get, update, delete', async () => {
  const created = await h.cli(['projects', 'create', 'cli-site', '--origins', 'https://cli.example', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const p = created.json();
  assert.match(p.id, /^proj_/);
  assert.match(p.project_token, /^aat_[0-9a-f]{48}$/);
  assert.equal(p.allowed_origins, 'https://cli.example');
  assert.match(p.snippet, new RegExp(`data-token="${p.project_token}"`));
  assert.equal(p.existing, undefined);

  const again = await h.cli(['projects', 'create', 'cli-site']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already exists/);
  assert.match(again.stdout, /<script defer src="http:\/\/127\.0\.0\.1:\d+\/tracker\.js" data-project="cli-site"/);

  const list = await h.cli(['projects', 'list', '--json']);
  assert.equal(list.code, 0);
  const l = list.json();
  assert.deepEqual(Object.keys(l).sort().filter((k) => k !== 'flags'), ['has_api_key', 'project_limit', 'projects', 'tier']);
  assert.equal(l.projects.find((x: { id: string }) => x.id === p.id)?.name, 'cli-site');
  const human = await h.cli(['projects']);
  assert.match(human.stdout, /^NAME +ID +EVENTS +READS +ALLOWED ORIGINS +CREATED$/m);
  assert.match(human.stdout, /of unlimited projects \(pro tier\)/);

  const got = await h.cli(['projects', 'get', p.id, '--json']);
  assert.equal(got.code, 0);
  assert.equal(got.json().usage_today.events, 0);
  assert.match((await h.cli(['projects', 'get', 'cli-site'])).stdout, /project token +aat_/);

  const upd = await h.cli(['projects', 'update', p.id, '--origins', 'https://cli.example,http://localhost:3000', '--json']);
  assert.equal(upd.code, 0, upd.stderr);
  assert.equal(upd.json().allowed_origins, 'https://cli.example,http://localhost:3000');

  const del = await h.cli(['projects', 'delete', p.id, '--json']);
  assert.equal(del.code, 0);
  assert.deepEqual(del.json(), { ok: true, deleted: p.id });
  const gone = await h.cli(['projects', 'get', p.id]);
  assert.equal(gone.code, 4);
  assert.match(gone.stderr, /\[404 NOT_FOUND\]/);
  assert.match(gone.stderr, /hint: list your projects with `agent-analytics projects list`/);
});

test('failures map to exit codes: 409 → 7, 400 → 8, 403 → 5, usage → 64', async () => {
  await h.cli(['projects', 'create', 'origin-a', '--origins', 'https://dup.example']);
  const dup = await h.cli(['projects', 'create', 'origin-b', '--origins', 'https://dup.example']);
  assert.equal(dup.code, 7);
  assert.match(dup.stderr, /DUPLICATE_ORIGIN/);
  assert.match(dup.stderr, /origin-a/, 'the message names the conflicting project');

  const bad = await h.cli(['projects', 'update', 'origin-a', '--name', 'bad name!', '--json']);
  assert.equal(bad.code, 8);
  assert.equal(bad.json().error, 'INVALID_BODY');

  const free = await h.t.newAccount('free');
  assert.equal((await h.cli(['projects', 'create', 'f1'], { AA_API_KEY: free })).code, 0);
  const nearly = await h.cli(['projects', 'list', '--json'], { AA_API_KEY: free });
  assert.equal(nearly.json().flags?.[0]?.code, 'project_limit_approaching');
  assert.match((await h.cli(['projects', 'list'], { AA_API_KEY: free })).stdout, /WARNING \[project_limit_approaching\]/);
  assert.equal((await h.cli(['projects', 'create', 'f2'], { AA_API_KEY: free })).code, 0);
  const over = await h.cli(['projects', 'create', 'f3'], { AA_API_KEY: free });
  assert.equal(over.code, 5);
  assert.match(over.stderr, /FORBIDDEN/);

  assert.equal((await h.cli(['projects', 'get'])).code, 64);
  assert.equal((await h.cli(['projects', 'update', 'origin-a'])).code, 64);
  assert.equal((await h.cli(['projects', 'frobnicate'])).code, 64);
});
