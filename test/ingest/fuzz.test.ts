// ≥ 1,000 generated malformed or hostile bodies: every one must get a 4xx with a contract code,
// never a 5xx, and none may store a row. Seeded, so a failure is reproducible (AA_FUZZ_SEED=…).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, UA } from './helpers.js';
import { prng } from '../helpers/prng.js';

const CODES = new Set(['INVALID_BODY', 'MISSING_FIELDS', 'BATCH_TOO_LARGE', 'INVALID_TOKEN', 'FORBIDDEN', 'RATE_LIMITED']);


interface Case { url: string; body: string; why: string }

function generate(token: string, rand: () => number, n: number): Case[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = Date.now();
  const good = () => ({ token, event: 'page_view', properties: { path: '/x' }, user_id: 'anon_1', session_id: 'sess_1', timestamp: now });
  const nest = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const badValue = () => pick<unknown>([42, -1, true, false, [], [1, 'a'], {}, { nested: { x: 1 } }, 1.5, '']);
  const wrongType = () => pick<unknown>([42, true, [], ['a'], { a: 1 }, 0.5]);
  const unicode = () => pick([
    '\ud800', '\udfff', 'ok\ud83d', '\ude00tail', // unpaired surrogates
    '🎉'.repeat(257), 'é'.repeat(257), '\u0301'.repeat(300), 'Z̤͔ͧ̑̓'.repeat(60),
  ]);
  const timestamps = () => pick<unknown>([-1, -1e15, 1, 1.5, 1e20, now + 6 * 60_000, now - 31 * 86_400_000, '2026-03-09', 'now', true, [now], { t: now }, Number.MAX_SAFE_INTEGER]);

  const single = (): [string, string] => {
    const e: Record<string, unknown> = good();
    switch (int(0, 12)) {
      case 0: e.event = badValue() === '' ? '' : wrongType(); return [JSON.stringify(e), 'event wrong type'];
      case 1: delete e.event; return [JSON.stringify(e), 'event missing'];
      case 2: e.event = 'e'.repeat(int(257, 5000)); return [JSON.stringify(e), 'event too long'];
      case 3: e.event = unicode(); return [JSON.stringify(e), 'event unicode edge'];
      case 4: e.properties = pick<unknown>([[], [1, 2], 'str', 7, true]); return [JSON.stringify(e), 'properties not an object'];
      case 5: e.properties = { blob: 'x'.repeat(int(8200, 60_000)) }; return [JSON.stringify(e), 'properties too large'];
      case 6: return [JSON.stringify(e).replace('"properties":{"path":"/x"}', `"properties":${nest(int(3000, 60_000))}`), 'deeply nested properties'];
      case 7: e[pick(['user_id', 'session_id'])] = pick<unknown>([wrongType(), 'u'.repeat(int(257, 2000)), unicode()]); return [JSON.stringify(e), 'id wrong'];
      case 8: e.timestamp = timestamps(); return [JSON.stringify(e), 'timestamp'];
      case 9: return [JSON.stringify(e).replace(/"timestamp":\d+/, `"timestamp":${pick(['NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '0x10', '+5'])}`), 'non-JSON number'];
      case 10: e.token = pick<unknown>([undefined, '', 'aat_' + 'f'.repeat(48), 42, [token], { token }, token + ' ']); return [JSON.stringify(e), 'bad token'];
      case 11: return [pick([
        `{"__proto__":{"token":"${token}","event":"x"}}`,
        `{"token":"${token}","__proto__":{"event":"x"}}`,
        `{"token":"${token}","event":"x","properties":{"__proto__":{"polluted":true}}}`,
        `{"token":"${token}","event":"x","properties":{"a":[{"__proto__":{"polluted":true}}]}}`,
        `{"token":"${token}","event":"x","properties":{"__proto__":null}}`,
      ]), 'prototype pollution'];
      default: {
        const text = JSON.stringify(e);
        return [pick([
          text.slice(0, int(0, text.length - 1)), text + pick(['}', ',', ' x', '{}']), text.replace(/"/g, "'"), `\ufeff${text}`,
          '[' + text + ']', 'null', 'true', '"string"', '123', '', '   ', '{', '}', '{"token":}', '{token:"x"}', '\u0000',
          '[' .repeat(int(1000, 100_000)), Buffer.from(Array.from({ length: int(1, 64) }, () => int(0, 255))).toString('latin1'),
        ]), 'not a JSON object'];
      }
    }
  };

  const batch = (): [string, string] => {
    const items = Array.from({ length: int(1, 5) }, good);
    switch (int(0, 6)) {
      case 0: return [JSON.stringify({ events: Array.from({ length: int(101, 400) }, good) }), '101+ events'];
      case 1: return [JSON.stringify({ events: pick<unknown>([[], {}, 'x', null, 5, undefined]) }), 'events not a non-empty array'];
      case 2: items.push({ ...good(), token: 'aat_' + '0'.repeat(48) }); return [JSON.stringify({ events: items }), 'mixed tokens'];
      case 3: items.splice(int(0, items.length), 0, pick<any>([null, 1, 'x', [], true])); return [JSON.stringify({ events: items }), 'non-object item'];
      case 4: { const [body, why] = single(); return [`{"events":[${JSON.stringify(good())},${body}]}`, `bad item: ${why}`]; }
      case 5: return [JSON.stringify({ events: items.map((i) => ({ ...i, token: undefined })) }), 'no token anywhere'];
      default: return [`{"events":[{"__proto__":${JSON.stringify(good())}}]}`, 'item fields only via __proto__'];
    }
  };

  return Array.from({ length: n }, () => {
    const isBatch = rand() < 0.35;
    const [body, why] = isBatch ? batch() : single();
    return { url: isBatch ? '/track/batch' : '/track', body, why };
  });
}

describe('ingestion fuzz', () => {
  let t: TestApp;
  let token: string;
  let projectId: string;
  before(async () => {
    t = await startTestApp();
    const p = await t.newProject(t.ownerKey, 'fuzz');
    token = p.project_token;
    projectId = p.id;
  });
  after(async () => t.close());

  test('1,200 malformed or hostile bodies → 4xx with a contract code, no row stored, no pollution', async () => {
    const seed = Number(process.env.AA_FUZZ_SEED ?? Date.now() % 1_000_000);
    const cases = generate(token, prng(seed), 1200);
    const types = ['text/plain;charset=UTF-8', 'application/json', 'application/octet-stream', 'text/html'];
    const seen = new Map<string, number>();
    for (const [i, c] of cases.entries()) {
      const res = await t.app.inject({ method: 'POST', url: c.url, payload: c.body, headers: { 'user-agent': UA, 'content-type': types[i % types.length] } });
      const where = `seed ${seed} case ${i} (${c.why}): ${c.body.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, where);
      const code = res.json().error;
      assert.ok(CODES.has(code), where);
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }
    assert.equal(await countRows(t, projectId), 0, `seed ${seed}: a hostile body was stored`);
    assert.equal(await countRows(t), 0);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    for (const code of ['INVALID_BODY', 'MISSING_FIELDS', 'BATCH_TOO_LARGE', 'INVALID_TOKEN']) assert.ok(seen.get(code), `the corpus exercises ${code}`);
  });

  test('the same server still accepts a valid event afterwards', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/track', payload: JSON.stringify({ token, event: 'after_fuzz' }), headers: { 'user-agent': UA } });
    assert.equal(res.statusCode, 202);
  });
});
