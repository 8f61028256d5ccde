// `agent-analytics portfolios …` and `portfolio-context …` end to end (the real binary against a real server):
// --json prints the API bodies, the default output is readable, errors keep their exit codes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, startCliHarness } from '../cli/helpers.js';

let h: CliHarness;
const ids: Record<string, string> = {};
before(async () => {
  h = await startCliHarness();
  for (const name of ['app', 'docs', 'blog']) ids[name] = (await h.t.newProject(h.t.ownerKey, name)).id;
});
after(async () => { await h?.close(); });

test('portfolios create, list, get, update (--move), delete', async () => {
  const empty = await h.cli(['portfolios', 'list']);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /^No portfolios yet/);

  const created = await h.cli(['portfolios', 'create', 'growth', '--name', 'Growth', '--projects', 'app,docs', '--json']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().ok, true);
  assert.deepEqual(created.json().portfolio.members.map((m: { project: string }) => m.project), ['app', 'docs']);
  const id = created.json().portfolio.id as string;

  const human = await h.cli(['portfolios', 'create', 'content', '--projects', 'blog']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^Created portfolio content\.\ncontent \(content, pf_[a-z0-9]{16}\)$/m);
  assert.match(human.stdout, new RegExp(`^blog +${ids.blog} +\\d{4}-\\d\\d-\\d\\d$`, 'm'));

  const list = await h.cli(['portfolios', 'list']);
  assert.match(list.stdout, /^SLUG +NAME +PROJECTS +ID$/m);
  assert.match(list.stdout, new RegExp(`^growth +Growth +app, docs +${id}$`, 'm'));

  assert.equal((await h.cli(['portfolios', 'get', id, '--json'])).json().portfolio.slug, 'growth');
  const got = await h.cli(['portfolios', 'get', 'growth']);
  assert.match(got.stdout, new RegExp(`^Growth \\(growth, ${id}\\)$`, 'm'));

  const conflict = await h.cli(['portfolios', 'update', 'content', '--projects', 'blog,docs', '--json']);
  assert.equal(conflict.code, 7, conflict.stderr);
  assert.equal(conflict.json().error, 'PROJECT_IN_PORTFOLIO');
  const moved = await h.cli(['portfolios', 'update', 'content', '--projects', 'blog,docs', '--move', '--name', 'Content']);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /^Updated portfolio content\.\nContent \(content, /m);
  assert.deepEqual((await h.cli(['portfolios', 'get', 'growth', '--json'])).json().portfolio.members.map((m: { project: string }) => m.project), ['app']);
  const cleared = await h.cli(['portfolios', 'update', 'growth', '--projects', '', '--json']);
  assert.deepEqual(cleared.json().portfolio.members, []);

  const deleted = await h.cli(['portfolios', 'delete', 'growth']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, new RegExp(`^Deleted portfolio growth \\(${id}\\); its projects are untouched\\.$`, 'm'));
  const missing = await h.cli(['portfolios', 'get', 'growth']);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /hint: list your portfolios with `agent-analytics portfolios list`/);
});

test('portfolios: usage errors (64) and server validation (8)', async () => {
  assert.equal((await h.cli(['portfolios', 'create'])).code, 64);
  assert.equal((await h.cli(['portfolios', 'get'])).code, 64);
  assert.equal((await h.cli(['portfolios', 'update', 'content'])).code, 64, 'nothing to update');
  assert.equal((await h.cli(['portfolios', 'rename', 'x'])).code, 64);
  const bad = await h.cli(['portfolios', 'create', 'Bad Slug', '--json']);
  assert.equal(bad.code, 8);
  assert.equal(bad.json().error, 'INVALID_BODY');
  assert.equal((await h.cli(['portfolios', 'create', 'x', '--projects', 'nope'])).code, 4);
});

test('portfolio-context set from flags, then from a file, get renders it, clear empties it', async () => {
  const empty = await h.cli(['portfolio-context', 'get']);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /^No portfolio context yet/);

  const set = await h.cli(['portfolio-context', 'set', '--goal', 'More qualified signups', '--role', 'app=conversion', '--role', 'docs = discovery',
    '--milestone', 'signup', '--glossary', '[{"term":"Qualified","definition":"Reached setup."}]', '--json']);
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(set.json(), {
    ok: true,
    portfolio_context: {
      goals: ['More qualified signups'],
      surface_roles: [{ project_id: ids.app, project: 'app', role: 'conversion' }, { project_id: ids.docs, project: 'docs', role: 'discovery' }],
      shared_milestones: ['signup'],
      glossary: [{ term: 'Qualified', definition: 'Reached setup.' }],
    },
  });
  const human = await h.cli(['portfolio-context', 'get']);
  assert.match(human.stdout, /^Portfolio context$/m);
  assert.match(human.stdout, /^ {2}1\. More qualified signups$/m);
  assert.match(human.stdout, /^app +conversion$/m);
  assert.match(human.stdout, /^Shared milestones: signup$/m);
  assert.match(human.stdout, /^Qualified +Reached setup\.$/m);

  // What `get --json` prints, edited in a file; --milestone replaces the file's list.
  const file = join(h.home, 'portfolio.json');
  writeFileSync(file, (await h.cli(['portfolio-context', 'get', '--json'])).stdout.replace('More qualified signups', 'From the file'));
  const fromFile = await h.cli(['portfolio-context', 'set', '--file', file, '--milestone', 'purchase', '--json']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual(fromFile.json().portfolio_context.goals, ['From the file']);
  assert.deepEqual(fromFile.json().portfolio_context.shared_milestones, ['purchase']);
  assert.equal(fromFile.json().portfolio_context.surface_roles.length, 2);
  // The official CLI's JSON document, inline.
  const inline = await h.cli(['portfolio-context', 'set', '--body', '{"goals":["Inline"],"surface_roles":[{"project":"blog","role":"content"}]}', '--json']);
  assert.deepEqual(inline.json().portfolio_context.surface_roles.map((r: { project: string }) => r.project), ['blog']);

  const clear = await h.cli(['portfolio-context', 'clear']);
  assert.equal(clear.code, 0, clear.stderr);
  assert.match(clear.stdout, /^Cleared the portfolio context\./);
  assert.deepEqual((await h.cli(['portfolio-context', 'get', '--json'])).json().portfolio_context, { goals: [], surface_roles: [], shared_milestones: [], glossary: [] });
});

test('portfolio-context failures: usage 64, over a limit 8, unknown project 4', async () => {
  assert.equal((await h.cli(['portfolio-context'])).code, 64);
  assert.equal((await h.cli(['portfolio-context', 'set'])).code, 64, 'nothing to set');
  assert.equal((await h.cli(['portfolio-context', 'set', '--role', 'app'])).code, 64);
  assert.equal((await h.cli(['portfolio-context', 'set', '--body', 'not json'])).code, 64);
  assert.equal((await h.cli(['portfolio-context', 'set', '--glossary', '{"term":"x"}'])).code, 64);
  const over = await h.cli(['portfolio-context', 'set', '--goal', 'x'.repeat(161), '--json']);
  assert.equal(over.code, 8);
  assert.match(over.json().message, /goals\[0\] is 161 characters; the limit is 160/);
  assert.equal((await h.cli(['portfolio-context', 'set', '--role', 'nope=x'])).code, 4);
});
