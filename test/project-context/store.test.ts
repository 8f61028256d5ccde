// The MetaStore methods behind /project-context and /account/feedback, on SQLite (temp file) and on this
// machine's PostgreSQL (a fresh schema per run), through the real migrations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Feedback, MetaStore, ProjectContext } from '../../src/store/ports.js';
import { metaStoreKinds, type OpenedMetaStore } from '../helpers/meta-stores.js';

const CONTEXT: ProjectContext = {
  goals: ['Turn visitors into trial signups', 'Ünïcödé and emoji 🚀 survive'],
  activation_events: ['signup'],
  glossary: [{ event_name: 'signup', term: 'Trial start', definition: 'Quotes " and \' and newlines\nare kept.' }],
};

const fb = (over: Partial<Feedback>): Feedback => ({
  id: 'fb_1', account_id: 'acc_a', project_id: null, message: 'hello', command: null, context: null, created_at: '2026-03-09T08:00:00.000Z', ...over,
});

function suite(name: string, open: () => Promise<OpenedMetaStore>, skip: () => string | false) {
  describe(`project context store: ${name}`, { skip: skip() }, () => {
    let meta: MetaStore;
    let cleanup = async () => {};
    before(async () => {
      ({ meta, cleanup } = await open());
      await meta.migrate();
      await meta.migrate(); // idempotent
    });
    after(async () => {
      await meta?.close();
      await cleanup();
    });

    test('a project never given a context reads null; set/get round-trips exactly', async () => {
      assert.equal(await meta.getProjectContext('proj_none'), null);
      await meta.setProjectContext('proj_a', CONTEXT, '2026-03-09T08:00:00.000Z');
      assert.deepEqual(await meta.getProjectContext('proj_a'), CONTEXT);
    });

    test('set replaces the whole context (an upsert), per project', async () => {
      await meta.setProjectContext('proj_b', CONTEXT, '2026-03-09T08:00:00.000Z');
      await meta.setProjectContext('proj_b', { goals: ['Only this'], activation_events: [], glossary: [] }, '2026-03-09T09:00:00.000Z');
      assert.deepEqual(await meta.getProjectContext('proj_b'), { goals: ['Only this'], activation_events: [], glossary: [] });
      await meta.setProjectContext('proj_b', { goals: [], activation_events: [], glossary: [] }, '2026-03-09T10:00:00.000Z');
      assert.deepEqual(await meta.getProjectContext('proj_b'), { goals: [], activation_events: [], glossary: [] });
      assert.deepEqual(await meta.getProjectContext('proj_a'), CONTEXT, 'another project is untouched');
    });

    test('feedback: stored as sent (string, object or no context), newest first, filtered by account', async () => {
      await meta.addFeedback(fb({ id: 'fb_1', created_at: '2026-03-09T08:00:00.000Z', context: 'ran it twice' }));
      await meta.addFeedback(fb({ id: 'fb_2', created_at: '2026-03-09T09:00:00.000Z', project_id: 'proj_a', command: 'agent-analytics funnel', context: { step: 2, ok: false, nested: { a: [1, 'x'] } } }));
      await meta.addFeedback(fb({ id: 'fb_3', account_id: 'acc_b', created_at: '2026-03-09T10:00:00.000Z', message: 'Ünïcödé 🚀' }));
      const all = await meta.listFeedback({ limit: 10 });
      assert.deepEqual(all.map((f) => f.id), ['fb_3', 'fb_2', 'fb_1']);
      assert.deepEqual(all[1], fb({ id: 'fb_2', created_at: '2026-03-09T09:00:00.000Z', project_id: 'proj_a', command: 'agent-analytics funnel', context: { step: 2, ok: false, nested: { a: [1, 'x'] } } }));
      assert.deepEqual(all[2].context, 'ran it twice');
      assert.equal(all[0].context, null);
      assert.equal(all[0].message, 'Ünïcödé 🚀');
      assert.deepEqual((await meta.listFeedback({ accountId: 'acc_a', limit: 10 })).map((f) => f.id), ['fb_2', 'fb_1']);
      assert.deepEqual((await meta.listFeedback({ limit: 1 })).map((f) => f.id), ['fb_3']);
      assert.deepEqual(await meta.listFeedback({ accountId: 'acc_none', limit: 10 }), []);
    });
  });
}

for (const kind of await metaStoreKinds()) suite(kind.name, kind.open, () => kind.skip);
