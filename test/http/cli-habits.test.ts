// The official CLI's request habits replayed against every documented operation: it sends
// `Content-Type: application/json` on every request, bodiless DELETEs and POSTs included, and
// authenticates with X-API-Key (0.5.29) or Authorization: Bearer (0.5.33). An empty body is no body:
// each operation must answer such a request exactly as it answers the same request without Content-Type.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ADMIN = 'cli-habits-admin-token';
/** The SSE stream never ends a response; its own tests cover it. */
const SKIP = new Set(['GET /stream']);

let t: TestApp;
let n = 0;

before(async () => { t = await startTestApp({ AA_ADMIN_TOKEN: ADMIN }); await t.newProject(t.ownerKey, 'site'); });
after(async () => t.close());

async function inject(method: string, url: string, headers: Record<string, string>) {
  const res = await t.app.inject({ method: method as 'GET', url, headers });
  let code: unknown;
  try { code = res.json().error; } catch { /* not JSON (tracker.js) */ }
  return { status: res.statusCode, code, body: res.body };
}

/** A path with its parameters filled: each destructive call gets a resource of its own, so two calls compare. */
async function fill(method: string, path: string, key: string): Promise<string | null> {
  if (!path.includes('{')) return path;
  const name = `r${++n}`;
  if (path.startsWith('/projects/')) return path.replace('{id}', (await t.newProject(key, name)).id);
  if (path.startsWith('/experiments/')) {
    const res = await t.app.inject({ method: 'POST', url: '/experiments', headers: { 'x-api-key': key }, payload: { project: 'site', name, variants: ['a', 'b'], goal_event: 'signup' } });
    assert.equal(res.statusCode, 201, res.body);
    return path.replace('{id}', res.json().id);
  }
  if (path.startsWith('/portfolios/')) {
    const res = await t.app.inject({ method: 'POST', url: '/portfolios', headers: { 'x-api-key': key }, payload: { name } });
    assert.equal(res.statusCode, 201, res.body);
    return path.replace('{idOrSlug}', res.json().portfolio.slug);
  }
  if (path.startsWith('/account/keys/')) {
    const res = await t.app.inject({ method: 'POST', url: '/account/keys', headers: { 'x-api-key': key }, payload: { name, scopes: ['account:read'] } });
    assert.equal(res.statusCode, 201, res.body);
    return path.replace('{id}', res.json().key.id);
  }
  if (path.startsWith('/admin/accounts/')) return path.replace('{id}', 'acc_unknown');
  if (path.startsWith('/import/')) {
    const res = await t.app.inject({ method: 'POST', url: '/import?project=site&format=ndjson', headers: { 'x-api-key': key, 'content-type': 'application/x-ndjson' }, payload: '{"timestamp":1735689600000,"event":"x"}\n' });
    assert.equal(res.statusCode, 202, res.body);
    return path.replace('{id}', res.json().job.id);
  }
  assert.fail(`${method} ${path}: teach fill() to create the resource this path names`);
}

function auth(path: string, key: string, style: 'x-api-key' | 'bearer'): Record<string, string> {
  if (path.startsWith('/admin')) return { authorization: `Bearer ${ADMIN}` };
  return style === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
}

test('every operation answers a bodiless request with Content-Type: application/json as it answers one without', async () => {
  const spec = (await t.app.inject('/openapi.json')).json();
  let checked = 0;
  for (const [path, ops] of Object.entries<any>(spec.paths)) {
    for (const [m, op] of Object.entries<any>(ops)) {
      const method = m.toUpperCase();
      if (SKIP.has(`${method} ${path}`)) continue;
      const query = (op.parameters ?? []).some((p: any) => p.in === 'query' && p.name === 'project') ? '?project=site' : '';
      for (const style of ['x-api-key', 'bearer'] as const) {
        // Rotation locks the caller out, so each call runs as an account of its own.
        const caller = async () => (path === '/account/revoke-key' ? t.newAccount('pro') : t.ownerKey);
        const [k1, k2] = [await caller(), await caller()];
        const plain = await inject(method, `${await fill(method, path, k1)}${query}`, auth(path, k1, style));
        const cli = await inject(method, `${await fill(method, path, k2)}${query}`, { ...auth(path, k2, style), 'content-type': 'application/json' });
        const what = `${method} ${path} (${style}): ${cli.status} ${cli.body.slice(0, 200)}`;
        assert.equal(cli.status, plain.status, what);
        assert.deepEqual(cli.code, plain.code, what);
        assert.doesNotMatch(cli.body, /valid JSON/, what);
        checked++;
      }
    }
  }
  assert.ok(checked >= 80, `only ${checked} requests checked`);
});

test('the three commands that failed: delete, experiments delete, revoke-key', async () => {
  const cli = (key: string) => ({ 'content-type': 'application/json', 'x-api-key': key });
  const project = await t.newProject(t.ownerKey, 'to-delete');
  const del = await t.app.inject({ method: 'DELETE', url: `/projects/${project.id}`, headers: cli(t.ownerKey) });
  assert.deepEqual([del.statusCode, del.json()], [200, { ok: true, deleted: project.id }]);

  const exp = await t.app.inject({ method: 'POST', url: '/experiments', headers: cli(t.ownerKey), payload: JSON.stringify({ project: 'site', name: 'gone', variants: ['a', 'b'], goal_event: 'signup' }) });
  assert.equal(exp.statusCode, 201, exp.body);
  const delExp = await t.app.inject({ method: 'DELETE', url: `/experiments/${exp.json().id}`, headers: cli(t.ownerKey) });
  assert.equal(delExp.statusCode, 200, delExp.body);

  const key = await t.newAccount('pro');
  const rotated = await t.app.inject({ method: 'POST', url: '/account/revoke-key', headers: cli(key) });
  assert.equal(rotated.statusCode, 200, rotated.body);
  const fresh = rotated.json().api_key;
  assert.match(fresh, /^aak_[0-9a-f]{48}$/);
  assert.equal((await t.app.inject({ url: '/account', headers: cli(fresh) })).statusCode, 200);
  assert.equal((await t.app.inject({ url: '/account', headers: cli(key) })).statusCode, 401);
});

test('whitespace is no body either; a body that is not JSON still gets INVALID_BODY', async () => {
  const project = await t.newProject(t.ownerKey, 'ws');
  const ws = await t.app.inject({ method: 'DELETE', url: `/projects/${project.id}`, headers: { 'content-type': 'application/json', 'x-api-key': t.ownerKey }, payload: ' \n' });
  assert.equal(ws.statusCode, 200, ws.body);
  const bad = await t.app.inject({ method: 'POST', url: '/projects', headers: { 'content-type': 'application/json', 'x-api-key': t.ownerKey }, payload: '{"name":' });
  assert.deepEqual([bad.statusCode, bad.json().error], [400, 'INVALID_BODY']);
  const poisoned = await t.app.inject({ method: 'POST', url: '/projects', headers: { 'content-type': 'application/json', 'x-api-key': t.ownerKey }, payload: '{"name":"p","__proto__":{"x":1}}' });
  assert.deepEqual([poisoned.statusCode, poisoned.json().error], [400, 'INVALID_BODY']);
});
