// Hostile input on the management endpoints: generated bodies, ids and headers never produce a 5xx.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => { t = await startTestApp({ AA_ADMIN_TOKEN: 'adm' }); });
after(async () => { await t.close(); });

// Small seeded PRNG so a failure is reproducible.
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const STRINGS = ['', ' ', 'a', 'x'.repeat(70), 'acme-web', '*', 'https://a.test', '__proto__', 'constructor', "'; DROP TABLE projects; --",
  '\u0000', '\ud800', '😀'.repeat(10), 'http://', 'https://a.test,,', '../../etc/passwd', '%00', 'proj_', 'aak_' + 'f'.repeat(48)];

function value(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 11);
  switch (k) {
    case 0: return null;
    case 1: return r() > 0.5;
    case 2: return Math.floor(r() * 1e6) - 5e5;
    case 3: return [NaN, Infinity, -0, 1e308, 0.1][Math.floor(r() * 5)];
    case 4: return depth > 3 ? 'deep' : [value(r, depth + 1), value(r, depth + 1)];
    case 5: return depth > 3 ? {} : { name: value(r, depth + 1), allowed_origins: value(r, depth + 1) };
    case 6: return JSON.parse('{"__proto__":{"polluted":true},"name":"p"}');
    default: return STRINGS[Math.floor(r() * STRINGS.length)];
  }
}

test('1,000 generated management requests: always a JSON 4xx or 2xx, never 5xx', async () => {
  const r = rng(42);
  const { id } = await t.newProject(t.ownerKey, 'fuzz-target');
  const targets = [
    ['POST', '/projects'], ['PATCH', `/projects/${id}`], ['POST', '/admin/accounts'], ['PATCH', '/admin/accounts/acc_x'],
    ['GET', '/projects/%00'], ['DELETE', '/projects/__proto__'], ['POST', '/account/revoke-key?x=1&x=2'],
  ] as const;
  for (let i = 0; i < 1000; i++) {
    const [method, url] = targets[i % targets.length];
    const raw = r() < 0.15;
    const body = raw ? ['{', '[]', 'null', '"str"', '{"name":', '\u0000', '1e999'][Math.floor(r() * 7)] : JSON.stringify(value(r));
    const headers: Record<string, string> = { 'content-type': r() < 0.9 ? 'application/json' : 'text/plain' };
    if (url.startsWith('/admin')) headers.authorization = 'Bearer adm';
    // revoke-key goes without a key so the fuzz never rotates the owner key away from itself.
    else if (!url.startsWith('/account/revoke-key') && r() < 0.95) headers['x-api-key'] = t.ownerKey;
    const res = await t.app.inject({ method, url, headers, payload: method === 'GET' || method === 'DELETE' ? undefined : body });
    assert.ok(res.statusCode < 500, `${method} ${url} ${body} -> ${res.statusCode} ${res.body}`);
    if (res.statusCode >= 400) {
      const b = res.json();
      assert.equal(typeof b.error, 'string');
      assert.equal(typeof b.message, 'string');
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'prototype not polluted');
  // The target project survives with a sane shape.
  const list = await t.app.inject({ url: '/projects', headers: { 'x-api-key': t.ownerKey } });
  assert.equal(list.statusCode, 200);
});
