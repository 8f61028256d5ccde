// Arrows point one way: http → (ingest | reports | experiments) → query → store. Every top-level folder (or
// file) of src/ declares the folders it may import; an import outside that list, a new folder nobody placed,
// or a cycle among the declarations fails here with the offending file named.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

const SRC = resolve('src');

/** What each part of src/ may import (besides itself). Leaves first; each list names only parts above it. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  store: ['errors'],
  config: ['store'], // the tier types of the stored account
  stores: ['store', 'config'], // picks the adapters from configuration
  tracker: [], // browser code and its build
  dashboard: ['client'], // the people's dashboard (browser code and its build); it reads data only through the HTTP API, typed by the client's API types (type-only imports)
  query: ['store', 'config', 'errors'],
  accounts: ['store', 'config', 'errors'],
  'project-context': ['store', 'errors'],
  portfolios: ['project-context', 'accounts', 'store', 'errors'],
  reports: ['schemas', 'query', 'store', 'errors'], // report bodies are the response schemas' static types
  experiments: ['reports', 'schemas', 'query', 'accounts', 'store', 'errors'], // inputs are the request schemas' static types
  ingest: ['query', 'accounts', 'store', 'config', 'errors'],
  jobs: ['ingest', 'query', 'accounts', 'store', 'config'],
  portability: ['ingest', 'query', 'accounts', 'store', 'config', 'errors'], // export, import jobs, backups
  schemas: ['project-context', 'portfolios', 'accounts'], // the HTTP contract's shapes, with the limits the rules declare
  client: ['schemas'], // the typed HTTP client of the CLI and the MCP server
  mcp: ['client', 'schemas', 'reports', 'experiments', 'query', 'accounts'],
  cli: ['main', 'portability', 'mcp', 'client', 'schemas', 'accounts', 'stores', 'store', 'config'], // the process entry: serve, mcp and the commands
  http: ['context', 'portability', 'mcp', 'client', 'schemas', 'ingest', 'reports', 'experiments', 'portfolios', 'project-context', 'accounts', 'query', 'store', 'tracker', 'dashboard', 'config', 'errors'],
  services: ['ingest', 'jobs', 'portability', 'project-context', 'accounts', 'tracker', 'dashboard', 'stores', 'store', 'config'],
  context: ['services', 'stores', 'store', 'config'],
  app: ['http', 'services', 'context', 'stores', 'store', 'config'],
  main: ['app', 'accounts', 'stores', 'store', 'config'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}

const partOf = (file: string) => relative(SRC, file).split(sep)[0].replace(/\.ts$|\.js$/, '');

test('every import in src/ points down the layers', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const from = partOf(file);
    if (!(from in MAY_IMPORT)) wrong.push(`${relative('.', file)}: src/${from} is not placed in a layer (add it to MAY_IMPORT)`);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (!target.startsWith(SRC + sep)) continue;
      const to = partOf(target);
      if (to !== from && !MAY_IMPORT[from]?.includes(to)) wrong.push(`${relative('.', file)} imports ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the layers have no cycle', () => {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (part: string, path: string[]): void => {
    if (state.get(part) === 'done') return;
    assert.notEqual(state.get(part), 'open', `cycle: ${[...path, part].join(' → ')}`);
    state.set(part, 'open');
    for (const next of MAY_IMPORT[part] ?? []) visit(next, [...path, part]);
    state.set(part, 'done');
  };
  for (const part of Object.keys(MAY_IMPORT)) visit(part, []);
});

test('the checker sees a wrong arrow (store importing query would fail)', () => {
  assert.equal(MAY_IMPORT.store.includes('query'), false);
  assert.equal(MAY_IMPORT.query.includes('reports'), false);
  assert.equal(MAY_IMPORT.reports.includes('http'), false);
});

test('SQL text is written only by the compiler (query/sql) and the engine adapters (store)', () => {
  const writers = [join(SRC, 'query', 'sql') + sep, join(SRC, 'store') + sep];
  const sql = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^`]*\b(FROM|VALUES|SET|WHERE)\b/;
  const offenders = sources(SRC)
    .filter((f) => !writers.some((w) => f.startsWith(w)))
    .filter((f) => [...readFileSync(f, 'utf8').matchAll(/`[^`]*`/g)].some((m) => sql.test(m[0])))
    .map((f) => relative('.', f));
  assert.deepEqual(offenders, []);
});
