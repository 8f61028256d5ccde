// The lean ingest listener (src/http/lean-ingest.ts) answers exactly as the Fastify routes it stands in front
// of: every kind of /track request is sent once through app.inject() (the lean path, as clients reach it) and
// once straight into Fastify's router (app.routing), and status, headers and body must match.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import lightMyRequest, { type InjectOptions } from 'light-my-request';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { UA } from './helpers.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ AA_TIER_FREE_RATE_LIMIT_RPM: '2' });
});
after(async () => t.close());

type Answer = { status: number; headers: Record<string, unknown>; body: string };
const normalise = (res: { statusCode: number; headers: Record<string, unknown>; body: string }): Answer => {
  const { date: _date, 'x-ratelimit-reset': reset, 'retry-after': retry, ...headers } = res.headers;
  return { status: res.statusCode, headers: { ...headers, reset: reset !== undefined, retry: retry !== undefined }, body: res.body.replace(/retry in \d+ s/, 'retry in N s') };
};

test('every kind of /track request gets the same answer from the lean listener and from the Fastify route', async () => {
  const p = await t.newProject(t.ownerKey, 'shop', 'https://shop.test');
  const free = await t.newProject(await t.newAccount('free'), 'free');
  const H = { 'user-agent': UA, 'content-type': 'text/plain;charset=UTF-8' };
  const body = (o: unknown) => JSON.stringify(o);
  const tok = p.project_token;
  const cases: InjectOptions[] = [
    { method: 'POST', url: '/track', headers: { ...H, origin: 'https://shop.test' }, payload: body({ token: tok, event: 'a', properties: { path: '/x' } }) },
    { method: 'POST', url: '/track', headers: { 'user-agent': UA }, payload: body({ token: tok, event: 'a' }) },
    { method: 'POST', url: '/track/', headers: H, payload: body({ token: tok, event: 'a' }) },
    { method: 'POST', url: `/track?token=${tok}`, headers: H, payload: body({ event: 'a' }) },
    { method: 'POST', url: `/track?token=${tok}&token=${tok}`, headers: H, payload: body({ event: 'a' }) },
    { method: 'POST', url: '/track/batch', headers: { ...H, origin: 'https://shop.test' }, payload: body({ events: [{ token: tok, event: 'a' }, { token: tok, event: 'b' }] }) },
    { method: 'POST', url: '/track', headers: { ...H, 'user-agent': 'Googlebot/2.1' }, payload: body({ token: tok, event: 'a' }) },
    { method: 'POST', url: '/track/batch', headers: { ...H, 'user-agent': 'GPTBot/1.0' }, payload: 'nope' },
    { method: 'POST', url: '/track', headers: H, payload: '{"token":' },
    { method: 'POST', url: '/track', headers: { 'user-agent': UA } },
    { method: 'POST', url: '/track', headers: H, payload: body({ token: 'aat_nope', event: 'a' }) },
    { method: 'POST', url: '/track', headers: { ...H, origin: 'https://evil.test' }, payload: body({ token: tok, event: 'a' }) },
    { method: 'POST', url: '/track', headers: H, payload: body({ token: tok, event: '🎉'.repeat(257) }) },
    { method: 'POST', url: '/track/batch', headers: H, payload: body({ events: Array.from({ length: 101 }, () => ({ token: tok, event: 'a' })) }) },
    { method: 'POST', url: '/track', headers: H, payload: body({ token: tok, event: 'a', pad: 'x'.repeat(1_048_600) }) },
    { method: 'OPTIONS', url: '/track/batch', headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' } },
  ];
  for (const c of cases) {
    const lean = normalise(await t.app.inject(c));
    const fastify = normalise(await lightMyRequest((req, res) => t.app.routing(req, res), c));
    assert.deepEqual(lean, fastify, `${c.method} ${c.url} ${String(c.payload ?? '').slice(0, 60)}`);
  }
  // The rate limit (2 a minute): both transports count against the same window and refuse alike.
  const limited: Answer[] = [];
  for (let i = 0; i < 4; i++) {
    const c: InjectOptions = { method: 'POST', url: '/track', headers: H, payload: body({ token: free.project_token, event: 'r' }) };
    limited.push(normalise(i % 2 ? await lightMyRequest((req, res) => t.app.routing(req, res), c) : await t.app.inject(c)));
  }
  assert.deepEqual(limited.map((a) => a.status), [202, 202, 429, 429]);
  assert.deepEqual(limited[2], limited[3]);
});
