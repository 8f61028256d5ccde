// The MetaStore methods behind /portfolios and /portfolio-context, on SQLite (temp file) and on this machine's
// PostgreSQL (a fresh schema per run), through the real migrations: the same answers on both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MetaStore, Portfolio, PortfolioContext, Project } from '../../src/store/ports.js';
import { metaStoreKinds, type OpenedMetaStore } from '../helpers/meta-stores.js';

const T = '2026-03-09T08:00:00.000Z';
const pf = (id: string, account_id: string, slug: string, over: Partial<Portfolio> = {}): Portfolio =>
  ({ id, account_id, slug, name: slug.toUpperCase(), created_at: T, updated_at: T, ...over });
const project = (id: string, account_id: string): Project => ({
  id, account_id, name: `site-${id}`, project_token: `aat_${id}`, allowed_origins: '*', created_at: T, deleted_at: null, source_scan_id: null,
});

const CONTEXT: PortfolioContext = {
  goals: ['Increase qualified users who reach setup', 'Ünïcödé 🚀'],
  surface_roles: [{ project_id: 'p1', role: 'scanner_and_conversion' }, { project_id: 'p2', role: 'discovery' }],
  shared_milestones: ['qualified_click_to_product', 'project_created'],
  glossary: [{ term: 'Qualified click', definition: 'Quotes " and \' survive.' }],
};

function suite(name: string, open: () => Promise<OpenedMetaStore>, skip: () => string | false) {
  describe(`portfolio store: ${name}`, { skip: skip() }, () => {
    let meta: MetaStore;
    let cleanup = async () => {};
    const members = async (id: string) => (await meta.portfolioMembers([id])).map((m) => m.project_id);
    before(async () => {
      ({ meta, cleanup } = await open());
      await meta.migrate();
      await meta.migrate(); // idempotent
      for (const acc of ['acc_a', 'acc_b']) {
        await meta.createAccount({ id: acc, email: `${acc}@example.test`, github_login: null, tier: 'pro', limits_override: null, monthly_spend_cap_dollars: null, created_at: T }, `hash_${acc}`);
      }
      for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await meta.createProject(project(id, 'acc_a'));
      await meta.createProject(project('q1', 'acc_b'));
    });
    after(async () => {
      await meta?.close();
      await cleanup();
    });

    test('create, find by id or slug within the account only, list by slug', async () => {
      assert.deepEqual(await meta.createPortfolio(pf('pf_1', 'acc_a', 'growth'), ['p2', 'p1', 'p1'], { move: false }), { ok: true });
      assert.deepEqual(await meta.createPortfolio(pf('pf_2', 'acc_a', 'docs'), [], { move: false }), { ok: true });
      assert.deepEqual(await meta.findPortfolio('acc_a', 'pf_1'), pf('pf_1', 'acc_a', 'growth'));
      assert.deepEqual(await meta.findPortfolio('acc_a', 'growth'), pf('pf_1', 'acc_a', 'growth'));
      assert.equal(await meta.findPortfolio('acc_b', 'growth'), null);
      assert.equal(await meta.findPortfolio('acc_b', 'pf_1'), null);
      assert.deepEqual((await meta.listPortfolios('acc_a')).map((p) => p.slug), ['docs', 'growth']);
      assert.deepEqual(await meta.listPortfolios('acc_b'), []);
      assert.deepEqual((await meta.portfolioMembers(['pf_1'])).map((m) => ({ ...m })), [
        { portfolio_id: 'pf_1', project_id: 'p1', added_at: T }, { portfolio_id: 'pf_1', project_id: 'p2', added_at: T },
      ]);
      assert.deepEqual(await meta.portfolioMembers([]), []);
    });

    test('slugs are unique per account, not across accounts', async () => {
      assert.deepEqual(await meta.createPortfolio(pf('pf_dup', 'acc_a', 'growth'), [], { move: false }), { ok: false, reason: 'slug_taken' });
      assert.equal(await meta.findPortfolio('acc_a', 'pf_dup'), null, 'nothing written');
      assert.deepEqual(await meta.createPortfolio(pf('pf_b1', 'acc_b', 'growth'), ['q1'], { move: false }), { ok: true });
      assert.deepEqual(await meta.updatePortfolio('pf_2', { slug: 'growth', updated_at: T }, null, { move: false }), { ok: false, reason: 'slug_taken' });
      assert.equal((await meta.findPortfolio('acc_a', 'pf_2'))?.slug, 'docs', 'the refused update changed nothing');
      assert.deepEqual(await meta.updatePortfolio('pf_2', { slug: 'docs', name: 'Docs', updated_at: '2026-03-10T00:00:00.000Z' }, null, { move: false }), { ok: true }, 'its own slug is not a conflict');
      assert.deepEqual(await meta.findPortfolio('acc_a', 'docs'), pf('pf_2', 'acc_a', 'docs', { name: 'Docs', updated_at: '2026-03-10T00:00:00.000Z' }));
    });

    test('a project belongs to one portfolio: refused without move, moved with it', async () => {
      const refused = await meta.createPortfolio(pf('pf_3', 'acc_a', 'third'), ['p3', 'p1', 'p2'], { move: false });
      assert.deepEqual(refused, { ok: false, reason: 'in_other_portfolio', conflicts: [{ project_id: 'p1', portfolio_id: 'pf_1' }, { project_id: 'p2', portfolio_id: 'pf_1' }] });
      assert.equal(await meta.findPortfolio('acc_a', 'third'), null, 'the whole write is refused');
      assert.deepEqual(await members('pf_1'), ['p1', 'p2']);
      assert.deepEqual(await meta.updatePortfolio('pf_2', { updated_at: T }, ['p2', 'p4'], { move: false }), { ok: false, reason: 'in_other_portfolio', conflicts: [{ project_id: 'p2', portfolio_id: 'pf_1' }] });
      assert.deepEqual(await members('pf_2'), []);
      assert.deepEqual(await meta.updatePortfolio('pf_2', { updated_at: T }, ['p2', 'p4'], { move: true }), { ok: true });
      assert.deepEqual(await members('pf_2'), ['p2', 'p4']);
      assert.deepEqual(await members('pf_1'), ['p1']);
    });

    test('replacing members keeps the staying ones (and their added_at), drops the others', async () => {
      await meta.updatePortfolio('pf_2', { updated_at: '2026-03-11T00:00:00.000Z' }, ['p4', 'p5'], { move: false });
      assert.deepEqual((await meta.portfolioMembers(['pf_2'])).map((m) => [m.project_id, m.added_at]), [['p4', T], ['p5', '2026-03-11T00:00:00.000Z']]);
      await meta.updatePortfolio('pf_2', { updated_at: T }, [], { move: false });
      assert.deepEqual(await members('pf_2'), []);
      assert.deepEqual(await meta.updatePortfolio('pf_2', { updated_at: T }, ['p2'], { move: false }), { ok: true }, 'p2 left pf_2 earlier and is in no portfolio now');
    });

    test('concurrent writers never put a project in two portfolios', async () => {
      await meta.createPortfolio(pf('pf_x', 'acc_a', 'x'), [], { move: false });
      await meta.createPortfolio(pf('pf_y', 'acc_a', 'y'), [], { move: false });
      const results = await Promise.all([
        meta.updatePortfolio('pf_x', { updated_at: T }, ['p5'], { move: false }),
        meta.updatePortfolio('pf_y', { updated_at: T }, ['p5'], { move: false }),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      assert.equal((await members('pf_x')).length + (await members('pf_y')).length, 1);
      const sameSlug = await Promise.all([
        meta.createPortfolio(pf('pf_s1', 'acc_a', 'race'), [], { move: false }),
        meta.createPortfolio(pf('pf_s2', 'acc_a', 'race'), [], { move: false }),
      ]);
      assert.deepEqual(sameSlug.map((r) => r.ok).sort(), [false, true], JSON.stringify(sameSlug));
      assert.deepEqual(sameSlug.find((r) => !r.ok), { ok: false, reason: 'slug_taken' });
    });

    test('members of deleted projects drop out; deleting a portfolio frees its projects', async () => {
      await meta.updatePortfolio('pf_1', { updated_at: T }, ['p1', 'p3'], { move: false });
      await meta.updateProject('p3', { deleted_at: T });
      assert.deepEqual(await members('pf_1'), ['p1']);
      await meta.deletePortfolio('pf_1');
      assert.equal(await meta.findPortfolio('acc_a', 'growth'), null);
      assert.deepEqual(await meta.portfolioMembers(['pf_1']), []);
      assert.deepEqual(await meta.createPortfolio(pf('pf_4', 'acc_a', 'growth'), ['p1'], { move: false }), { ok: true }, 'slug and project are free again');
      assert.equal((await meta.findPortfolio('acc_b', 'growth'))?.id, 'pf_b1', 'account B untouched');
    });

    test('portfolio context: null until set, round-trips exactly, replaced whole, per account', async () => {
      assert.equal(await meta.getPortfolioContext('acc_a'), null);
      await meta.setPortfolioContext('acc_a', CONTEXT, T);
      assert.deepEqual(await meta.getPortfolioContext('acc_a'), CONTEXT);
      assert.equal(await meta.getPortfolioContext('acc_b'), null);
      const small: PortfolioContext = { goals: ['Only this'], surface_roles: [], shared_milestones: [], glossary: [] };
      await meta.setPortfolioContext('acc_a', small, '2026-03-10T00:00:00.000Z');
      assert.deepEqual(await meta.getPortfolioContext('acc_a'), small);
    });
  });
}

for (const kind of await metaStoreKinds()) suite(kind.name, kind.open, () => kind.skip);
