// Every operation /openapi.json documents, called with generated hostile parameters, path ids and bodies:
// never a 5xx, and every 4xx is the contract's {error, message} JSON. New routes are covered as soon as
// they are documented. Seeded, so a failure prints the exact request to replay.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { prng } from '../helpers/prng.js';

const ADMIN = 'fuzz-admin-token';
// Long-lived or state-destroying for the rest of the run: the SSE stream (its own tests), and rotating the
// owner key (it would lock every later request out).
const SKIP = new Set(['GET /stream', 'POST /account/revoke-key']);
const ITERATIONS = 60;

const HOSTILE: unknown[] = [
  '', ' ', 'site', 'nope', 'x'.repeat(5000), "' OR '1'='1", "'; DROP TABLE events; --", '$1', '{p1:String}', '%', '_',
  '\u0000', '\ud800', '😀'.repeat(50), '../../etc/passwd', '__proto__', 'constructor', '1d', '7d', '90d', '0d', '-1d',
  '2026-02-30', '9999-99-99', 'day', 'hour', 'NaN', 'Infinity', '-1', '0', '1', '1e309', '1.5', 'true', 'null', '[]', '{}',
  0, -1, 1, 1.5, 1e309, -0, 2 ** 53, true, false, null, [], ['a', 1, null], {}, { a: { b: { c: 1 } } },
  JSON.parse('{"__proto__":{"polluted":1}}'),
];

let t: TestApp;
let projectId: string;
let experimentId: string;
let token: string;

before(async () => {
  t = await startTestApp({ AA_ADMIN_TOKEN: ADMIN });
  const p = await t.newProject(t.ownerKey, 'site');
  projectId = p.id;
  token = p.project_token;
  const events = Array.from({ length: 30 }, (_, i) => ({
    token, event: i % 3 ? 'page_view' : 'signup', user_id: `u${i % 7}`, session_id: `s${i % 9}`, timestamp: Date.now() - i * 3_600_000,
    properties: { path: `/p${i % 4}`, referrer: 'https://www.google.com/', plan: i % 2 ? 'pro' : 'free' },
  }));
  const res = await t.app.inject({ method: 'POST', url: '/track/batch', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ events }) });
  assert.equal(res.statusCode, 202, res.body);
  const exp = await t.app.inject({
    method: 'POST', url: '/experiments', headers: { 'x-api-key': t.ownerKey },
    payload: { project: 'site', name: 'cta', variants: ['a', 'b'], goal_event: 'signup' },
  });
  assert.equal(exp.statusCode, 201, exp.body);
  experimentId = exp.json().id;
});
after(async () => t.close());

interface Operation {
  method: string;
  path: string;
  params: { in: string; name: string }[];
  body: string[] | null;
  admin: boolean;
}

function operations(spec: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(), path, params: op.parameters ?? [], admin: path.startsWith('/admin'),
        body: schema ? Object.keys(schema.properties ?? {}) : method === 'get' || method === 'delete' ? null : [],
      });
    }
  }
  return out;
}

test('every documented operation answers hostile input with a 4xx (or a success), never a 5xx', async () => {
  const spec = (await t.app.inject('/openapi.json')).json();
  // Renames and deletions last, so the reads before them still find the seeded project.
  const late = (o: Operation) => (o.method === 'DELETE' || o.method === 'PATCH' ? 1 : 0);
  const ops = operations(spec).filter((o) => !SKIP.has(`${o.method} ${o.path}`)).sort((a, b) => late(a) - late(b));
  assert.ok(ops.length >= 40, `only ${ops.length} operations documented`);
  const r = prng(20261128);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  // Mostly hostile, sometimes a value that gets past the first checks so later ones are reached too.
  const valid = (name: string): unknown =>
    ({ project: 'site', token, id: pick([projectId, experimentId]), since: '7d', period: '7d', event: 'signup', goal_event: 'signup',
      property: 'path', limit: 5, steps: [{ event: 'page_view' }, { event: 'signup' }], metrics: ['event_count'], message: 'hi' } as Record<string, unknown>)[name];
  const value = (name: string): unknown => (r() < 0.3 && valid(name) !== undefined ? valid(name) : pick(HOSTILE));
  const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  // A lone surrogate cannot be URI-encoded: send the bytes it would have been (invalid UTF-8), as an attacker can.
  const pathPart = (s: string): string => {
    try {
      return encodeURIComponent(s) || 'x';
    } catch {
      return '%ED%A0%80';
    }
  };

  let calls = 0;
  for (const op of ops) {
    for (let i = 0; i < ITERATIONS; i++) {
      let url = op.path;
      const query = new URLSearchParams();
      for (const p of op.params) {
        if (p.in === 'path') url = url.replace(`{${p.name}}`, pathPart(asText(value(p.name))));
        else if (p.in === 'query' && r() < 0.8) query.set(p.name, asText(value(p.name)));
      }
      const qs = query.toString();
      if (qs) url += `?${qs}`;
      const headers: Record<string, string> = op.admin ? { authorization: `Bearer ${ADMIN}` } : { 'x-api-key': t.ownerKey };
      let payload: string | undefined;
      if (op.body) {
        headers['content-type'] = 'application/json';
        const shape = r();
        if (shape < 0.1) payload = pick(['', 'not json', '[1,2]', '"text"', '42', '{"a":', 'null']);
        else {
          const body: Record<string, unknown> = {};
          for (const k of op.body) if (r() < 0.7) body[k] = value(k);
          payload = JSON.stringify(body);
        }
      }
      const res = await t.app.inject({ method: op.method as 'GET', url, headers, payload });
      calls++;
      const replay = `${op.method} ${url} ${payload ?? ''}`.slice(0, 600);
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${replay}\n${res.body.slice(0, 300)}`);
      if (res.statusCode >= 400 && op.path !== '/mcp') {
        const b = JSON.parse(res.body);
        assert.ok(typeof b.error === 'string' && typeof b.message === 'string' && b.message.length > 0, `bad error body for ${replay}: ${res.body}`);
      }
    }
  }
  console.log(`${calls} generated requests over ${ops.length} operations, none answered 5xx`);
  // The server is still healthy and the key still works (the project itself may have been renamed or deleted).
  assert.equal((await t.app.inject('/health')).statusCode, 200);
  const account = await t.app.inject({ url: '/account', headers: { 'x-api-key': t.ownerKey } });
  assert.equal(account.statusCode, 200, account.body);
});
