// The real `agent-analytics` binary against a real server: export to a file, import it into another project,
// back up and restore — with --json progress lines on stderr for agents and one result document on stdout.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { childEnv, runCli, startCliHarness, type CliHarness } from '../cli/helpers.js';
import { edgeCaseRows } from './dataset.js';

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
  const p = await h.t.newProject(h.t.ownerKey, 'site');
  await h.t.stores.events.insert(edgeCaseRows(p.id));
  await h.t.newProject(h.t.ownerKey, 'copy');
});
after(() => h.close());

const progressLines = (stderr: string) => stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l).progress);

test('export → import → the copy exports the same bytes; --json progress on stderr', async () => {
  const file = join(h.home, 'site.ndjson');
  const exp = await h.cli(['export', '--project', 'site', '--out', file, '--json']);
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual({ ...exp.json(), bytes: 0 }, { file, format: 'ndjson', gzip: false, events: 6, bytes: 0 });
  assert.deepEqual(progressLines(exp.stderr).at(-1), { phase: 'export', unit: 'rows', done: 6, total: 6 });
  assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 6);

  const imp = await h.cli(['import', file, '--project', 'copy', '--json']);
  assert.equal(imp.code, 0, imp.stderr);
  const { job } = imp.json();
  assert.deepEqual([job.status, job.rows_read, job.rows_imported, job.filename], ['done', 6, 6, 'site.ndjson']);
  const phases = progressLines(imp.stderr);
  assert.deepEqual(phases[0], { phase: 'upload', unit: 'bytes', done: readFileSync(file).length, total: readFileSync(file).length });
  assert.equal(phases.at(-1).phase, 'import');

  const again = join(h.home, 'copy.ndjson');
  assert.equal((await h.cli(['export', '--project', 'copy', '--out', again])).code, 0);
  assert.equal(readFileSync(again, 'utf8'), readFileSync(file, 'utf8'));
});

test('a malformed file: exit 8 and the report names the line', async () => {
  const bad = join(h.home, 'bad.ndjson');
  writeFileSync(bad, '{"timestamp":1700000000000,"event":"ok"}\nnot json\n');
  const res = await h.cli(['import', bad, '--project', 'copy']);
  assert.equal(res.code, 8);
  assert.match(res.stdout, /: failed/);
  assert.match(res.stdout, /error: line 2: not valid JSON/);
  const usage = await h.cli(['import', join(h.home, 'x.unknown'), '--project', 'copy']);
  assert.equal(usage.code, 64);
});

test('backup of the running server, then restore into an empty data folder', async () => {
  const dir = join(h.home, 'backup');
  const res = await h.cli(['backup', dir, '--json']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.json().events, 12);
  const target = join(h.home, 'restored-data');
  const restored = await runCli(['restore', dir, '--json'], childEnv(h.home, { AA_DATA_DIR: target }));
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(restored.json().restored.events, 12);
  const twice = await runCli(['restore', dir], childEnv(h.home, { AA_DATA_DIR: target }));
  assert.equal(twice.code, 8);
  assert.match(twice.stderr, /restore only into an empty data folder/);
});
