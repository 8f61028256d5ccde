// The portfolio and journey routes with PostgreSQL as the meta store (a fresh schema), end to end: the same
// answers as on SQLite, and input PostgreSQL cannot store (a NUL character) is a 4xx or a plain answer, never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freshPgSchema, servicesOrSkip } from '../cluster/services.js';

const skip = await servicesOrSkip('postgres');

describe('portfolios and journey on PostgreSQL', { skip }, () => {
  let t: TestApp;
  let drop = async () => {};
  let appId: string;
  before(async () => {
    const schema = await freshPgSchema();
    drop = schema.drop;
    t = await startTestApp({ AA_META_URL: schema.url });
    assert.equal(t.stores.meta.engine, 'postgres');
    appId = (await t.newProject(t.ownerKey, 'app')).id;
    await t.newProject(t.ownerKey, 'docs');
  });
  after(async () => {
    await t?.close();
    await drop();
  });

  const req = (method: string, url: string, payload?: unknown) => t.app.inject({ method: method as 'GET', url, headers: { 'x-api-key': t.ownerKey }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  test('create, move between portfolios, get, patch, delete; the context round-trips', async () => {
    assert.equal((await req('POST', '/portfolios', { slug: 'growth', name: 'Growth', projects: ['app', 'docs'] })).statusCode, 201);
    const refused = await req('POST', '/portfolios', { slug: 'docs-only', name: 'Docs', projects: ['docs'] });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error, 'PROJECT_IN_PORTFOLIO');
    assert.equal((await req('POST', '/portfolios', { slug: 'docs-only', name: 'Docs', projects: ['docs'], allow_move: true })).statusCode, 201);
    assert.deepEqual((await req('GET', '/portfolios/growth')).json().portfolio.members.map((m: { project: string }) => m.project), ['app']);
    assert.equal((await req('POST', '/portfolios', { slug: 'growth', name: 'Again' })).json().error, 'PORTFOLIO_SLUG_EXISTS');
    assert.equal((await req('PATCH', '/portfolios/growth', { name: 'Growth system', projects: [] })).json().portfolio.name, 'Growth system');
    assert.deepEqual((await req('GET', '/portfolios')).json().portfolios.map((p: { slug: string }) => p.slug), ['docs-only', 'growth']);
    assert.equal((await req('DELETE', '/portfolios/growth')).json().ok, true);
    const ctx = await req('PUT', '/portfolio-context', { goals: ['One funnel'], surface_roles: [{ project: 'app', role: 'conversion' }] });
    assert.equal(ctx.statusCode, 200, ctx.body);
    assert.deepEqual((await req('GET', '/portfolio-context')).json().portfolio_context.surface_roles, [{ project_id: appId, project: 'app', role: 'conversion' }]);
  });

  test('a NUL character in a portfolio reference, name or journey user id never reaches PostgreSQL as a 500', async () => {
    assert.equal((await req('GET', '/portfolios/a%00b')).statusCode, 404);
    assert.equal((await req('DELETE', '/portfolios/pf_%00')).statusCode, 404);
    assert.equal((await req('POST', '/portfolios', { name: 'a\u0000b' })).statusCode, 400);
    const journey = await req('GET', '/journey?project=app&user_id=a%00b');
    assert.equal(journey.statusCode, 200, journey.body);
    assert.deepEqual(journey.json().events, []);
  });
});
