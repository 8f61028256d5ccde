// `track`, `events`, `live`, `stream` end to end, and the ingestion 429 message (token + rate_limit_rpm, exit 6).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { BIN, type CliHarness, childEnv, startCliHarness } from './helpers.js';

let h: CliHarness;
let token: string;
before(async () => {
  h = await startCliHarness();
  token = (await h.t.newProject(h.t.ownerKey, 'live-site')).project_token;
});
after(async () => { await h.close(); });

test('track by project name and by token, then find the events of that session', async () => {
  const byName = await h.cli(['track', '-p', 'live-site', '--event', 'signup', '--properties', '{"plan":"pro","path":"/pricing"}', '--user-id', 'u1', '--session-id', 's1', '--json']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.deepEqual(byName.json(), { ok: true, queued: true });
  const byToken = await h.cli(['track', '--token', token, '--session-id', 's1', '--user-id', 'u1']);
  assert.equal(byToken.code, 0, byToken.stderr);
  assert.match(byToken.stdout, /Accepted "test_event" \(202, stored\)/);

  const events = await h.cli(['events', '-p', 'live-site', '--session', 's1', '--json']);
  assert.equal(events.code, 0, events.stderr);
  const body = events.json();
  assert.equal(body.project, 'live-site');
  assert.deepEqual(body.events.map((e: { event: string }) => e.event).sort(), ['signup', 'test_event']);
  assert.deepEqual(body.events.find((e: { event: string }) => e.event === 'signup').properties, { plan: 'pro', path: '/pricing' });
  const human = await h.cli(['events', '-p', 'live-site', '--event', 'signup']);
  assert.match(human.stdout, /^TIME \(UTC\) +EVENT +USER +SESSION +PROPERTIES$/m);
  assert.match(human.stdout, /signup +u1 +s1 +\{"plan":"pro","path":"\/pricing"\}/);

  const live = await h.cli(['live', '-p', 'live-site', '--json']);
  assert.equal(live.code, 0, live.stderr);
  assert.equal(live.json().active_visitors, 1);
  assert.equal(live.json().active_sessions, 1);
  assert.match((await h.cli(['live'])).stdout, /^live-site: 1 visitor\(s\), 1 session\(s\)/);
});

test('track failures: unknown project 4, bad token 3, bad --properties 64', async () => {
  const missing = await h.cli(['track', '-p', 'no-such-site']);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /no project "no-such-site"/);
  const badToken = await h.cli(['track', '--token', `aat_${'0'.repeat(48)}`]);
  assert.equal(badToken.code, 3);
  assert.match(badToken.stderr, /INVALID_TOKEN/);
  assert.equal((await h.cli(['track', '-p', 'live-site', '--properties', '[1]'])).code, 64);
  assert.equal((await h.cli(['track'])).code, 64);
});

test('stream prints events as they arrive and stops after --max', async () => {
  const child = new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [BIN, 'stream', '-p', 'live-site', '--events', 'streamed', '--max', '2', '--json', '--duration', '15'],
      { env: childEnv(h.home, { AA_URL: h.url, AA_API_KEY: h.t.ownerKey }) },
      (err, stdout) => resolve({ code: err ? 1 : 0, stdout }));
  });
  let done = false;
  void child.then(() => { done = true; });
  // Keep sending until the child has seen two matching events (it needs a moment to connect).
  for (let i = 0; i < 60 && !done; i++) {
    await h.t.app.inject({ method: 'POST', url: '/track', payload: { token, event: 'streamed', properties: { i }, user_id: 'u2' } });
    await h.t.app.inject({ method: 'POST', url: '/track', payload: { token, event: 'ignored' } });
    await new Promise((r) => setTimeout(r, 250));
  }
  const { code, stdout } = await child;
  assert.equal(code, 0);
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const e of lines) {
    assert.equal(e.event, 'streamed');
    assert.equal(e.project, 'live-site');
    assert.match(e.id, /^[0-9A-Z]{26}$/);
  }
});

test('ingestion 429 names the project token and the account rate_limit_rpm (exit 6)', async () => {
  const free = await h.t.newAccount('free');
  const p = await h.t.newProject(free, 'busy-site');
  const rpm = h.t.config.tiers.free.rate_limit_rpm;
  for (let i = 0; i < rpm; i++) {
    const res = await h.t.app.inject({ method: 'POST', url: '/track', payload: { token: p.project_token, event: 'fill' } });
    assert.equal(res.statusCode, 202);
  }
  const r = await h.cli(['track', '--token', p.project_token, '--json'], { AA_API_KEY: free });
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, new RegExp(`project token ${p.project_token}`));
  assert.match(r.stderr, new RegExp(`rate_limit_rpm ${rpm} requests/minute`));
  assert.match(r.stderr, /\/track\/batch/);
  const body = r.json();
  assert.equal(body.error, 'RATE_LIMITED');
  assert.equal(body.reason, 'rate_limit');
  assert.equal(body.project_token, p.project_token);
  assert.equal(body.rate_limit_rpm, rpm);
  assert.equal(typeof body.retry_after, 'number');
});
