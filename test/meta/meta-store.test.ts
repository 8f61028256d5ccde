// One MetaStore suite, run against SQLite (temp file) and PostgreSQL (a fresh schema per run):
// the Kysely implementation must answer identically on both.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Account, AgentAuthRequest, AgentSession, Experiment, MetaStore, NamedKey, Project } from '../../src/store/ports.js';
import { openPostgresMetaStore } from '../../src/store/meta/postgres.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import { freshPgSchema, servicesOrSkip } from '../cluster/services.js';

let seq = 0;
const uid = (p: string) => `${p}${Date.now().toString(36)}${(seq++).toString(36).padStart(4, '0')}`;

const account = (over: Partial<Account> = {}): Account => ({
  id: uid('acc_'), email: `${uid('u')}@example.test`, github_login: null, tier: 'free',
  limits_override: null, monthly_spend_cap_dollars: null, created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(), ...over,
});
const project = (accountId: string, over: Partial<Project> = {}): Project => ({
  id: uid('prj_'), account_id: accountId, name: uid('site-'), project_token: uid('aat_'), allowed_origins: '*',
  created_at: new Date(Date.UTC(2024, 0, 2, 0, 0, seq)).toISOString(), deleted_at: null, source_scan_id: null, ...over,
});
const experiment = (p: Project, over: Partial<Experiment> = {}): Experiment => ({
  id: uid('exp_'), project_id: p.id, account_id: p.account_id, name: uid('exp-'),
  variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 50 }], goal_event: 'signup', status: 'active', winner: null,
  created_at: new Date(Date.UTC(2024, 0, 3, 0, 0, seq)).toISOString(), updated_at: '2024-01-03T00:00:00.000Z', completed_at: null, ...over,
});

type Case = [name: string, run: (meta: MetaStore) => Promise<void>];

const CASES: Case[] = [
  ['import jobs: created, updated field by field, scoped by account, listed by status oldest first', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('khash'));
    const p = project(a.id);
    await meta.createProject(p);
    const job = {
      id: uid('imp_'), account_id: a.id, project_id: p.id, format: 'umami-csv', filename: 'website_event.csv', options: { skip_invalid: true, source_project: null },
      status: 'queued' as const, rows_read: 0, rows_imported: 0, rows_skipped: 0, skipped: {}, examples: [], error: null,
      created_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-01T00:00:00.000Z', finished_at: null,
    };
    await meta.createImportJob(job);
    assert.deepEqual(await meta.getImportJob(a.id, job.id), job);
    assert.equal(await meta.getImportJob(uid('acc_'), job.id), null, 'another account never sees it');
    assert.ok((await meta.importJobsIn(['queued'])).some((j) => j.id === job.id));
    const done = { status: 'done' as const, rows_read: 3_000_000_000, rows_imported: 12, rows_skipped: 2, skipped: { duplicate: 1, invalid: 1 }, examples: ['line 3: bad'], updated_at: '2024-01-01T00:01:00.000Z', finished_at: '2024-01-01T00:01:00.000Z' };
    await meta.updateImportJob(job.id, done);
    assert.deepEqual(await meta.getImportJob(a.id, job.id), { ...job, ...done });
    assert.ok(!(await meta.importJobsIn(['queued', 'running'])).some((j) => j.id === job.id));
    assert.deepEqual(await meta.importJobsIn([]), []);
  }],
  ['named keys: owner vs named credential, expiry, list without revoked, revoke only within the account', async (meta) => {
    const a = account();
    const ownerHash = uid('own');
    await meta.createAccount(a, ownerHash);
    assert.deepEqual(await meta.keyCredential(ownerHash, '2024-01-01T00:00:00.000Z'), { account: a, named: null });
    const k: NamedKey = { id: uid('key_'), account_id: a.id, key_hash: uid('nk'), name: 'reader', scopes: ['analytics:read'], project_ids: ['prj_1'], created_at: '2024-01-01T00:00:00.000Z', expires_at: '2024-02-01T00:00:00.000Z', last_used_at: null, revoked_at: null };
    await meta.createNamedKey(k);
    assert.deepEqual(await meta.keyCredential(k.key_hash, '2024-01-15T00:00:00.000Z'), { account: a, named: k });
    assert.equal(await meta.keyCredential(k.key_hash, '2024-02-01T00:00:00.000Z'), null, 'dead at expires_at');
    assert.equal(await meta.accountByKeyHash(k.key_hash), null, 'a named key is not an owner key');
    await meta.touchNamedKey(k.id, '2024-01-16T00:00:00.000Z');
    assert.deepEqual(await meta.listNamedKeys(a.id), [{ ...k, last_used_at: '2024-01-16T00:00:00.000Z' }]);
    const b = account();
    await meta.createAccount(b, uid('own'));
    assert.equal(await meta.revokeNamedKey(b.id, k.id, '2024-01-17T00:00:00.000Z'), null, 'another account cannot revoke it');
    assert.equal(await meta.revokeNamedKey(a.id, k.id, '2024-01-17T00:00:00.000Z'), k.key_hash);
    assert.equal(await meta.keyCredential(k.key_hash, '2024-01-17T00:00:00.000Z'), null);
    assert.deepEqual(await meta.listNamedKeys(a.id), []);
  }],
  ['agent sessions: compare-and-set decisions, one exchange, rotation once, revocation returns live hashes', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('own'));
    const r: AgentAuthRequest = {
      id: uid('areq_'), status: 'pending', mode: 'detached', client_type: 'cli', client_name: null, client_instance_id: null, callback_url: null,
      scopes: ['account:read'], code_challenge: null, poll_hash: 'p', exchange_hash: 'e', finish_hash: null, account_id: null, session_id: null,
      created_at: '2024-01-01T00:00:00.000Z', expires_at: '2024-01-01T00:30:00.000Z', decided_at: null,
    };
    await meta.createAgentRequest(r);
    assert.deepEqual(await meta.agentRequest(r.id), r);
    assert.equal(await meta.updateAgentRequest(r.id, 'pending', { status: 'approved', account_id: a.id, finish_hash: 'f' }), true);
    assert.equal(await meta.updateAgentRequest(r.id, 'pending', { status: 'denied' }), false, 'a second decision loses');
    const s: AgentSession = { id: uid('as_'), account_id: a.id, auth_request_id: r.id, client_type: 'cli', client_name: null, scopes: ['account:read'], created_at: '2024-01-01T00:01:00.000Z', last_used_at: null, refresh_expires_at: '2024-01-31T00:00:00.000Z', revoked_at: null };
    const t1 = [{ hash: uid('acc'), session_id: s.id, kind: 'access' as const, expires_at: '2024-01-01T01:00:00.000Z', retired_at: null }, { hash: uid('ref'), session_id: s.id, kind: 'refresh' as const, expires_at: '2024-01-31T00:00:00.000Z', retired_at: null }];
    assert.equal(await meta.createAgentSession(s, t1), true);
    assert.equal(await meta.createAgentSession({ ...s, id: uid('as_') }, []), false, 'an exchanged request cannot be exchanged again');
    assert.equal((await meta.agentRequest(r.id))?.status, 'exchanged');
    assert.deepEqual(await meta.agentToken(t1[0]!.hash), { token: t1[0], session: s, account: a });
    const t2 = t1.map((x) => ({ ...x, hash: uid('new') }));
    assert.deepEqual((await meta.rotateAgentTokens(s.id, t1[1]!.hash, t2, '2024-02-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'))?.sort(), [t1[0]!.hash, t1[1]!.hash].sort());
    assert.equal(await meta.rotateAgentTokens(s.id, t1[1]!.hash, [], '2024-02-01T00:00:00.000Z', '2024-01-03T00:00:00.000Z'), null, 'a retired refresh token rotates nothing');
    assert.equal((await meta.agentToken(t1[1]!.hash))?.token.retired_at, '2024-01-02T00:00:00.000Z');
    assert.equal((await meta.agentSession(s.id))?.refresh_expires_at, '2024-02-01T00:00:00.000Z');
    await meta.touchAgentSession(s.id, '2024-01-02T00:05:00.000Z');
    assert.equal((await meta.listAgentSessions(a.id))[0]?.last_used_at, '2024-01-02T00:05:00.000Z');
    assert.deepEqual((await meta.revokeAgentSession(s.id, '2024-01-04T00:00:00.000Z')).sort(), t2.map((x) => x.hash).sort());
    assert.deepEqual(await meta.listAgentSessions(a.id), []);
    assert.equal((await meta.agentRequest(r.id))?.status, 'revoked');
  }],
  ['agent credentials: ended requests, sessions and tokens are pruned; live ones and their requests stay', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('own'));
    const request = (expires: string): AgentAuthRequest => ({
      id: uid('areq_'), status: 'pending', mode: 'detached', client_type: 'cli', client_name: null, client_instance_id: null, callback_url: null,
      scopes: ['account:read'], code_challenge: null, poll_hash: uid('p'), exchange_hash: uid('e'), finish_hash: null, account_id: null, session_id: null,
      created_at: '2024-01-01T00:00:00.000Z', expires_at: expires, decided_at: null,
    });
    /** A request approved and exchanged into a session with an access and a refresh token. */
    const exchanged = async (refreshExpires: string) => {
      const r = request('2024-01-01T00:30:00.000Z');
      await meta.createAgentRequest(r);
      await meta.updateAgentRequest(r.id, 'pending', { status: 'approved', account_id: a.id });
      const s: AgentSession = { id: uid('as_'), account_id: a.id, auth_request_id: r.id, client_type: 'cli', client_name: null, scopes: ['account:read'], created_at: '2024-01-01T00:01:00.000Z', last_used_at: null, refresh_expires_at: refreshExpires, revoked_at: null };
      const tokens = [{ hash: uid('acc'), session_id: s.id, kind: 'access' as const, expires_at: '2024-01-01T01:00:00.000Z', retired_at: null }, { hash: uid('ref'), session_id: s.id, kind: 'refresh' as const, expires_at: refreshExpires, retired_at: null }];
      assert.equal(await meta.createAgentSession(s, tokens), true);
      return { r, s, tokens };
    };
    const abandoned = request('2024-01-01T00:30:00.000Z');
    const waiting = request('2024-06-01T00:00:00.000Z');
    await meta.createAgentRequest(abandoned);
    await meta.createAgentRequest(waiting);
    const live = await exchanged('2024-12-31T00:00:00.000Z');
    const revoked = await exchanged('2024-12-31T00:00:00.000Z');
    await meta.revokeAgentSession(revoked.s.id, '2024-01-05T00:00:00.000Z');
    const expired = await exchanged('2024-02-01T00:00:00.000Z');

    await meta.pruneAgentCredentials('2024-03-01T00:00:00.000Z');
    assert.equal(await meta.agentRequest(abandoned.id), null, 'an expired request nobody exchanged');
    assert.equal((await meta.agentRequest(waiting.id))?.status, 'pending', 'a request still open');
    assert.equal((await meta.agentRequest(live.r.id))?.status, 'exchanged', 'the request behind a live session');
    assert.equal((await meta.agentSession(live.s.id))?.id, live.s.id);
    assert.equal(await meta.agentToken(live.tokens[0]!.hash), null, 'its expired access token');
    assert.equal((await meta.agentToken(live.tokens[1]!.hash))?.session.id, live.s.id, 'its live refresh token');
    for (const ended of [revoked, expired]) {
      assert.equal(await meta.agentSession(ended.s.id), null);
      assert.equal(await meta.agentRequest(ended.r.id), null);
      for (const tk of ended.tokens) assert.equal(await meta.agentToken(tk.hash), null);
    }
  }],
  ['dashboard sessions: live until expiry, dead once the key is revoked, deleted, pruned', async (meta) => {
    const a = account();
    const keyHash = uid('khash');
    await meta.createAccount(a, keyHash);
    const s = { id_hash: uid('sh'), account_id: a.id, key_hash: keyHash, created_at: '2024-01-01T00:00:00.000Z', expires_at: '2024-01-02T00:00:00.000Z' };
    await meta.createDashboardSession(s);
    assert.deepEqual(await meta.dashboardSession(s.id_hash, '2024-01-01T12:00:00.000Z'), { session: s, account: a });
    assert.equal(await meta.dashboardSession(s.id_hash, '2024-01-02T00:00:00.000Z'), null, 'expired at expires_at');
    const newHash = uid('khash');
    await meta.rotateKey(a.id, keyHash, newHash);
    assert.equal(await meta.dashboardSession(s.id_hash, '2024-01-01T12:00:00.000Z'), null, 'its key was revoked');
    await meta.rebindDashboardSession(s.id_hash, newHash);
    assert.equal((await meta.dashboardSession(s.id_hash, '2024-01-01T12:00:00.000Z'))?.account.id, a.id);
    await meta.deleteDashboardSession(s.id_hash);
    assert.equal(await meta.dashboardSession(s.id_hash, '2024-01-01T12:00:00.000Z'), null);
    const old = { ...s, id_hash: uid('sh'), key_hash: newHash };
    await meta.createDashboardSession(old);
    await meta.pruneDashboardSessions('2024-01-03T00:00:00.000Z');
    assert.equal(await meta.dashboardSession(old.id_hash, '2024-01-01T12:00:00.000Z'), null, 'pruned');
  }],
  ['migrate is idempotent', async (meta) => {
    await meta.migrate();
    await meta.migrate();
  }],
  ['accounts: create, get, list, update round-trip every field', async (meta) => {
    const a = account({ tier: 'pro', limits_override: { rate_limit_rpm: 42 }, github_login: 'octo', monthly_spend_cap_dollars: 12.5 });
    await meta.createAccount(a, uid('hash'));
    assert.deepEqual(await meta.getAccount(a.id), a);
    assert.ok((await meta.listAccounts()).some((x) => x.id === a.id));
    const updated = await meta.updateAccount(a.id, { tier: 'free', limits_override: null, monthly_spend_cap_dollars: 3 });
    assert.deepEqual(updated, { ...a, tier: 'free', limits_override: null, monthly_spend_cap_dollars: 3 });
    assert.equal(await meta.getAccount('acc_missing'), null);
    assert.equal(await meta.updateAccount('acc_missing', { tier: 'pro' }), null);
  }],
  ['accounts: listAccounts orders by created_at then id', async (meta) => {
    const late = account({ created_at: '2030-01-01T00:00:00.000Z', id: uid('acc_z') });
    const early = account({ created_at: '2000-01-01T00:00:00.000Z' });
    await meta.createAccount(late, uid('h'));
    await meta.createAccount(early, uid('h'));
    const ids = (await meta.listAccounts()).map((x) => x.id);
    assert.ok(ids.indexOf(early.id) < ids.indexOf(late.id));
    assert.equal(ids.at(-1), late.id);
  }],
  ['keys: lookup, rotate revokes the old key atomically, ensureKey is idempotent', async (meta) => {
    const a = account();
    const h1 = uid('h1'), h2 = uid('h2'), h3 = uid('h3');
    await meta.createAccount(a, h1);
    assert.equal((await meta.accountByKeyHash(h1))?.id, a.id);
    await meta.rotateKey(a.id, h1, h2);
    assert.equal(await meta.accountByKeyHash(h1), null);
    assert.equal((await meta.accountByKeyHash(h2))?.id, a.id);
    await meta.ensureKey(a.id, h3);
    await meta.ensureKey(a.id, h3);
    assert.equal((await meta.accountByKeyHash(h3))?.id, a.id);
    assert.equal(await meta.accountByKeyHash('nope'), null);
  }],
  ['keys: a failed createAccount leaves nothing behind (transaction)', async (meta) => {
    const a = account(), b = account();
    const h = uid('h');
    await meta.createAccount(a, h);
    await assert.rejects(meta.createAccount(b, h)); // duplicate key hash fails after the account insert
    assert.equal(await meta.getAccount(b.id), null);
  }],
  ['projects: create, lookups, rename, soft delete', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('h'));
    const p1 = project(a.id, { created_at: '2024-05-01T00:00:00.000Z', source_scan_id: 'scan_1' });
    const p2 = project(a.id, { created_at: '2024-04-01T00:00:00.000Z' });
    await meta.createProject(p1);
    await meta.createProject(p2);
    assert.deepEqual(await meta.getProject(p1.id), p1);
    assert.deepEqual((await meta.listProjects(a.id)).map((p) => p.id), [p2.id, p1.id]);
    assert.deepEqual(await meta.projectByName(a.id, p1.name), p1);
    assert.equal(await meta.projectByName(a.id, p1.name.toUpperCase()), null); // names are case-sensitive everywhere
    assert.deepEqual(await meta.projectByToken(p2.project_token), p2);
    await meta.updateProject(p1.id, { name: 'renamed', allowed_origins: 'https://a.example' });
    assert.equal((await meta.projectByName(a.id, 'renamed'))?.allowed_origins, 'https://a.example');
    await meta.updateProject(p1.id, {});
    await meta.updateProject(p1.id, { deleted_at: '2024-06-01T00:00:00.000Z' });
    assert.equal(await meta.projectByName(a.id, 'renamed'), null);
    assert.equal((await meta.getProject(p1.id))?.deleted_at, '2024-06-01T00:00:00.000Z');
    assert.deepEqual((await meta.listProjects(a.id)).map((p) => p.id), [p2.id]);
    await assert.rejects(meta.createProject(project(a.id, { project_token: p2.project_token })));
  }],
  ['usage: deltas accumulate per day; lifetime, today and per-account sums', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('h'));
    const p1 = project(a.id), p2 = project(a.id);
    await meta.createProject(p1);
    await meta.createProject(p2);
    await meta.addUsage([]);
    await meta.addUsage([{ project_id: p1.id, date: '2024-01-01', events: 5 }, { project_id: p1.id, date: '2024-01-02', events: 2, reads: 1 }]);
    await meta.addUsage([{ project_id: p1.id, date: '2024-01-02', events: 3, reads: 4 }, { project_id: p2.id, date: '2024-01-02', reads: 7 }]);
    const u = await meta.usage([p1.id, p2.id, 'prj_none'], '2024-01-02');
    assert.deepEqual(u.get(p1.id), { events: 10, reads: 5, events_today: 5, reads_today: 5 });
    assert.deepEqual(u.get(p2.id), { events: 0, reads: 7, events_today: 0, reads_today: 7 });
    assert.equal(u.has('prj_none'), false);
    assert.equal((await meta.usage([], '2024-01-02')).size, 0);
    await meta.updateProject(p2.id, { deleted_at: '2024-02-01T00:00:00.000Z' });
    await meta.addUsage([{ project_id: p2.id, date: '2024-01-03', events: 100 }]);
    assert.equal(await meta.accountEvents(a.id), 110); // deleted projects still count
    assert.equal(await meta.accountEvents(a.id, '2024-01-02'), 105);
    assert.equal(await meta.accountEvents('acc_none'), 0);
    // GET /account?include=usage: lifetime, since the 1st of the month, and today, events and reads alike.
    assert.deepEqual(await meta.accountUsage(a.id, '2024-01-02', '2024-01-03'), { events: 110, reads: 12, events_month: 105, reads_month: 12, events_today: 100, reads_today: 0 });
    assert.deepEqual(await meta.accountUsage('acc_none', '2024-01-01', '2024-01-01'), { events: 0, reads: 0, events_month: 0, reads_month: 0, events_today: 0, reads_today: 0 });
  }],
  ['usage: concurrent increments never lose a count', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('h'));
    const p = project(a.id);
    await meta.createProject(p);
    await Promise.all(Array.from({ length: 20 }, () => meta.addUsage([{ project_id: p.id, date: '2024-03-01', events: 1, reads: 2 }])));
    assert.deepEqual((await meta.usage([p.id], '2024-03-01')).get(p.id), { events: 20, reads: 40, events_today: 20, reads_today: 40 });
  }],
  ['experiments: create, get, list newest first, by name, update, delete, unique name', async (meta) => {
    const a = account();
    await meta.createAccount(a, uid('h'));
    const p = project(a.id);
    await meta.createProject(p);
    const e1 = experiment(p, { created_at: '2024-01-01T00:00:00.000Z' });
    const e2 = experiment(p, { created_at: '2024-02-01T00:00:00.000Z', variants: [{ key: 'x', weight: 1 }, { key: 'y', weight: 3 }] });
    await meta.createExperiment(e1);
    await meta.createExperiment(e2);
    assert.deepEqual(await meta.getExperiment(e2.id), e2);
    assert.deepEqual((await meta.listExperiments(p.id)).map((e) => e.id), [e2.id, e1.id]);
    assert.deepEqual(await meta.experimentByName(p.id, e1.name), e1);
    await meta.updateExperiment(e1.id, { status: 'completed', winner: 'b', completed_at: '2024-03-01T00:00:00.000Z', updated_at: '2024-03-01T00:00:00.000Z' });
    assert.deepEqual(await meta.getExperiment(e1.id), { ...e1, status: 'completed', winner: 'b', completed_at: '2024-03-01T00:00:00.000Z', updated_at: '2024-03-01T00:00:00.000Z' });
    await assert.rejects(meta.createExperiment(experiment(p, { name: e1.name })));
    await meta.deleteExperiment(e1.id);
    assert.equal(await meta.getExperiment(e1.id), null);
    assert.equal(await meta.experimentByName(p.id, e1.name), null);
  }],
  ['identities: set, overwrite, chains resolve to the newest canonical id', async (meta) => {
    const pid = uid('prj_');
    await meta.setIdentity(pid, 'anon1', 'user1');
    await meta.setIdentity(pid, 'anon2', 'user1');
    await meta.setIdentity(pid, 'user1', 'user2'); // user1 merged into user2: anon1/anon2 follow
    const m = await meta.resolveIdentities(pid, ['anon1', 'anon2', 'user1', 'stranger']);
    assert.deepEqual(Object.fromEntries([...m].sort()), { anon1: 'user2', anon2: 'user2', user1: 'user2' });
    assert.equal((await meta.resolveIdentities(uid('prj_'), ['anon1'])).size, 0);
    assert.equal((await meta.resolveIdentities(pid, [])).size, 0);
  }],
];

function runSuite(name: string, open: () => Promise<{ meta: MetaStore; cleanup(): Promise<void> }>, skip: () => false | string) {
  describe(`MetaStore: ${name}`, () => {
    let meta: MetaStore;
    let cleanup: () => Promise<void> = async () => {};
    before(async () => {
      if (skip()) return;
      ({ meta, cleanup } = await open());
      await meta.migrate();
    });
    after(async () => {
      if (meta) await meta.close();
      await cleanup();
    });
    for (const [caseName, run] of CASES) {
      test(caseName, async (t) => {
        const reason = skip();
        if (reason) return t.skip(reason);
        await run(meta);
      });
    }
    test(`engine is ${name}`, (t) => {
      if (skip()) return t.skip();
      assert.equal(meta.engine, name);
    });
  });
}

runSuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-meta-'));
  return { meta: openSqliteMetaStore(join(dir, 'meta.sqlite')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}, () => false);

const pgSkip = await servicesOrSkip('postgres');
runSuite('postgres', async () => {
  const s = await freshPgSchema();
  return { meta: openPostgresMetaStore(s.url), cleanup: () => s.drop() };
}, () => pgSkip);

describe('MetaStore: postgres schemas', { skip: pgSkip }, () => {
  test('two deployments in two schemas of one database migrate independently, even at once', async () => {
    const [s1, s2, s3] = await Promise.all([freshPgSchema(), freshPgSchema(), freshPgSchema()]);
    const first = openPostgresMetaStore(s1.url);
    const [second, third] = [openPostgresMetaStore(s2.url), openPostgresMetaStore(s3.url)];
    try {
      await first.migrate(); // its bookkeeping tables must not make the others skip theirs
      await Promise.all([second.migrate(), third.migrate()]);
      const a = account();
      await second.createAccount(a, uid('h'));
      assert.equal((await second.getAccount(a.id))?.id, a.id);
      assert.equal(await first.getAccount(a.id), null);
      assert.equal(await third.getAccount(a.id), null);
    } finally {
      await Promise.all([first.close(), second.close(), third.close()]);
      await Promise.all([s1.drop(), s2.drop(), s3.drop()]);
    }
  });
});
