// Route × scope matrix (issue 16): every API-key route of the built app (its registered access rules, not a hand
// list) is called with a named key holding exactly one scope, for every scope. The hook must refuse exactly when
// the route's declared scope is not held (403 INSUFFICIENT_SCOPE naming it) and let the request through otherwise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { KeyCache } from '../../src/accounts/key-cache.js';
import { SCOPES } from '../../src/accounts/scopes.js';
import { installAuth } from '../../src/http/auth.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => t.close());

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');

test('every API-key route declares a scope; the matrix of route × scope is enforced by the hook', async () => {
  const rules = t.app.accessRules.filter((r) => r.access === 'apiKey' || r.access === 'apiKeyUnmetered');
  assert.ok(rules.length >= 45, `expected the whole API, found ${rules.length} API-key routes`);
  for (const r of rules) assert.ok(r.scope, `${r.method} ${r.url} has no scope`);
  const keys = new Map<string, string>();
  for (const scope of SCOPES) {
    const res = await t.request('POST', '/account/keys', { name: `only ${scope}`, scopes: [scope] });
    assert.equal(res.statusCode, 201, res.body);
    keys.set(scope, res.json().api_key);
  }
  const wrong: string[] = [];
  for (const rule of rules) {
    for (const scope of SCOPES) {
      const payload = rule.method === 'GET' || rule.method === 'DELETE' ? undefined : {};
      const res = await t.request(rule.method, concrete(rule.url), payload, keys.get(scope)!);
      let body: Record<string, string> = {};
      try { body = res.json(); } catch { /* not JSON */ }
      const refusedByHook = res.statusCode === 403 && body.error === 'INSUFFICIENT_SCOPE' && body.missing_scope !== undefined;
      const allowed = rule.scope === 'any' || rule.scope === scope;
      if (allowed && (refusedByHook || res.statusCode === 401)) wrong.push(`${rule.method} ${rule.url} with ${scope}: refused (${res.statusCode} ${res.body.slice(0, 120)})`);
      if (!allowed) {
        if (!refusedByHook) wrong.push(`${rule.method} ${rule.url} with ${scope}: let through (${res.statusCode}), needs ${rule.scope}`);
        else if (body.missing_scope !== rule.scope || !body.message.includes(rule.scope === 'owner' ? 'owner' : `"${rule.scope}"`)) wrong.push(`${rule.method} ${rule.url}: message does not name ${rule.scope}: ${body.message}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('the owner key passes every scope check (key rotation excepted from the sweep: it would replace the key)', async () => {
  const wrong: string[] = [];
  for (const rule of t.app.accessRules.filter((r) => r.scope && r.url !== '/account/revoke-key')) {
    const res = await t.request(rule.method, concrete(rule.url), rule.method === 'GET' || rule.method === 'DELETE' ? undefined : {});
    if (res.statusCode === 401 || res.body.includes('INSUFFICIENT_SCOPE')) wrong.push(`${rule.method} ${rule.url}: ${res.statusCode} ${res.body.slice(0, 100)}`);
  }
  assert.deepEqual(wrong, []);
});

test('an API-key route registered without a scope fails at start-up, naming the route', async () => {
  const app = Fastify();
  installAuth(app, { config: t.config, meta: t.stores.meta, counters: t.stores.counters, keys: new KeyCache(t.stores.meta, t.stores.counters) });
  assert.throws(() => app.get('/unscoped', { config: { access: 'apiKey' } }, async () => ({})), /GET \/unscoped: an apiKey route must declare config.scope/);
  await app.close();
});

test('403 is documented on every scoped route of the OpenAPI document', async () => {
  const doc = (await t.request('GET', '/openapi.json', undefined, null)).json();
  const missing: string[] = [];
  for (const rule of t.app.accessRules.filter((r) => r.scope && r.scope !== 'any')) {
    const path = rule.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op = doc.paths?.[path]?.[rule.method.toLowerCase()];
    if (op && !op.responses['403']) missing.push(`${rule.method} ${rule.url}`);
  }
  assert.deepEqual(missing, []);
});
