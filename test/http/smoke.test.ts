import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../helpers/app.js';

test('health and 404', async () => {
  const t = await startTestApp();
  try {
    const h = await t.app.inject('/health');
    assert.equal(h.statusCode, 200);
    assert.equal(h.json().status, 'ok');
    const nf = await t.app.inject('/nope');
    assert.equal(nf.statusCode, 404);
    assert.deepEqual(nf.json(), { error: 'NOT_FOUND', message: 'not found' });
    const p = await t.newProject(t.ownerKey, 'site-a');
    assert.match(p.project_token, /^aat_[0-9a-f]{48}$/);
    const list = await t.app.inject({ url: '/projects', headers: { authorization: `Bearer ${t.ownerKey}` } });
    assert.equal(list.json().projects.length, 1);
    const o = await t.app.inject('/openapi.json');
    assert.equal(o.json().openapi, '3.1.0');
  } finally {
    await t.close();
  }
});
