// /portfolios and /portfolio-context over the real app (DuckDB + SQLite): shapes the official CLI renders, every
// error code, the one-portfolio-per-project rule, deleted projects, tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectError } from '../helpers/errors.js';

let t: TestApp;
const ids: Record<string, string> = {};
before(async () => {
  t = await startTestApp();
  for (const name of ['app', 'docs', 'blog', 'shop', 'gone']) ids[name] = (await t.newProject(t.ownerKey, name)).id;
});
after(async () => t?.close());

const req = (method: string, url: string, payload?: unknown, key?: string | null) => t.request(method, url, payload, key);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const member = (name: string) => ({ project_id: ids[name], project: name, added_at: ISO });
/** A portfolio body with its generated values checked and replaced by the patterns. */
function shape(p: any) {
  assert.match(p.id, /^pf_[a-z0-9]{16}$/);
  assert.match(p.created_at, ISO);
  assert.match(p.updated_at, ISO);
  for (const m of p.members) assert.match(m.added_at, ISO);
  return { ...p, id: 'pf_…', created_at: ISO, updated_at: ISO, members: p.members.map((m: any) => ({ ...m, added_at: ISO })) };
}

describe('portfolios', () => {
  let growthId: string;

  test('an account without portfolios lists none; every route needs the API key', async () => {
    const res = await req('GET', '/portfolios');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { portfolios: [] });
    for (const [m, u] of [['GET', '/portfolios'], ['POST', '/portfolios'], ['GET', '/portfolios/x'], ['PATCH', '/portfolios/x'], ['DELETE', '/portfolios/x'], ['GET', '/portfolio-context'], ['PUT', '/portfolio-context']]) {
      expectError(await req(m, u, m === 'GET' || m === 'DELETE' ? undefined : {}, null), 401, 'AUTH_REQUIRED');
    }
  });

  test('create: 201 {ok, portfolio} with members by name or id, sorted by name; the official CLI\'s body', async () => {
    const res = await req('POST', '/portfolios', { slug: 'growth', name: 'Growth', projects: ['docs', ids.app, 'docs'], allow_move: false });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.ok, true);
    growthId = body.portfolio.id;
    assert.deepEqual(shape(body.portfolio), { id: 'pf_…', slug: 'growth', name: 'Growth', created_at: ISO, updated_at: ISO, members: [member('app'), member('docs')].map((m) => ({ ...m, added_at: ISO })) });
  });

  test('create: the slug is derived from the name; a slug alone names it; projects may be left out', async () => {
    const derived = await req('POST', '/portfolios', { name: '  Équipe Café — Marketing!  ' });
    assert.equal(derived.statusCode, 201, derived.body);
    assert.equal(derived.json().portfolio.slug, 'equipe-cafe-marketing');
    assert.equal(derived.json().portfolio.name, 'Équipe Café — Marketing!');
    assert.deepEqual(derived.json().portfolio.members, []);
    const slugOnly = await req('POST', '/portfolios', { slug: 'side_projects', projects: [] });
    assert.equal(slugOnly.statusCode, 201, slugOnly.body);
    assert.equal(slugOnly.json().portfolio.name, 'side_projects');
    const list = (await req('GET', '/portfolios')).json();
    assert.deepEqual(list.portfolios.map((p: any) => [p.slug, p.name]), [['equipe-cafe-marketing', 'Équipe Café — Marketing!'], ['growth', 'Growth'], ['side_projects', 'side_projects']]);
    assert.deepEqual(list.portfolios[1].members.map((m: any) => m.project), ['app', 'docs']);
    for (const slug of ['equipe-cafe-marketing', 'side_projects']) assert.equal((await req('DELETE', `/portfolios/${slug}`)).statusCode, 200);
  });

  test('create: 400s name the field, the limit or the fix', async () => {
    expectError(await req('POST', '/portfolios', {}), 400, 'MISSING_FIELDS', /name is required/);
    expectError(await req('POST', '/portfolios', { name: '  ', projects: ['app'] }), 400, 'MISSING_FIELDS');
    expectError(await req('POST', '/portfolios', { name: 'X', slug: 'Growth Team' }), 400, 'INVALID_BODY', /slug "Growth Team" must be .*\(e\.g\. "growth-team"\)/);
    expectError(await req('POST', '/portfolios', { name: 'X', slug: 'x'.repeat(65) }), 400, 'INVALID_BODY');
    expectError(await req('POST', '/portfolios', { name: '🚀🚀' }), 400, 'INVALID_BODY', /no slug can be derived/);
    expectError(await req('POST', '/portfolios', { name: 'x'.repeat(129) }), 400, 'INVALID_BODY', /name is 129 characters; the limit is 128/);
    expectError(await req('POST', '/portfolios', { name: 'a\u0000b' }), 400, 'INVALID_BODY', /control characters/);
    expectError(await req('POST', '/portfolios', { name: 'a\ud800b' }), 400, 'INVALID_BODY', /invalid Unicode/);
    expectError(await req('POST', '/portfolios', { name: 'X', projects: 'app,docs' }), 400, 'INVALID_BODY', /projects must be an array/);
    expectError(await req('POST', '/portfolios', { name: 'X', projects: ['app', 3] }), 400, 'INVALID_BODY', /projects\[1\] must be a string/);
    expectError(await req('POST', '/portfolios', { name: 'X', projects: Array.from({ length: 101 }, (_, i) => `p${i}`) }), 400, 'INVALID_BODY', /projects has 101 items; the limit is 100/);
    expectError(await req('POST', '/portfolios', { name: 'X', allow_move: 'yes' }), 400, 'INVALID_BODY', /allow_move must be true or false/);
    expectError(await req('POST', '/portfolios', { name: 'X', members: [] }), 400, 'INVALID_BODY', /unknown field "members"/);
    expectError(await req('POST', '/portfolios', [1]), 400, 'INVALID_BODY');
    expectError(await req('POST', '/portfolios', '"text"'), 400, 'INVALID_BODY');
    expectError(await req('POST', '/portfolios', '{"name":'), 400, 'INVALID_BODY');
    assert.equal((await req('GET', '/portfolios')).json().portfolios.length, 1, 'nothing was created');
  });

  test('create: unknown projects are 404 naming them all; a taken slug 409; a project of another portfolio 409 unless allow_move', async () => {
    expectError(await req('POST', '/portfolios', { name: 'X', projects: ['app', 'nope', 'proj_missing'] }), 404, 'NOT_FOUND', /no project "nope", "proj_missing" in this account/);
    expectError(await req('POST', '/portfolios', { slug: 'growth', name: 'Again' }), 409, 'PORTFOLIO_SLUG_EXISTS', /slug "growth"/);
    expectError(await req('POST', '/portfolios', { slug: 'content', name: 'Content', projects: ['blog', 'docs'] }), 409, 'PROJECT_IN_PORTFOLIO', /"docs" \(in portfolio "growth"\).*allow_move: true/);
    assert.equal((await req('GET', '/portfolios/content')).statusCode, 404, 'a refused create writes nothing');
    const moved = await req('POST', '/portfolios', { slug: 'content', name: 'Content', projects: ['blog', 'docs'], allow_move: true });
    assert.equal(moved.statusCode, 201, moved.body);
    assert.deepEqual(moved.json().portfolio.members.map((m: any) => m.project), ['blog', 'docs']);
    assert.deepEqual((await req('GET', '/portfolios/growth')).json().portfolio.members.map((m: any) => m.project), ['app'], 'docs moved out of growth');
  });

  test('get by id or slug: {portfolio}; unknown 404', async () => {
    const bySlug = (await req('GET', '/portfolios/growth')).json();
    const byId = (await req('GET', `/portfolios/${growthId}`)).json();
    assert.deepEqual(byId, bySlug);
    assert.equal(bySlug.ok, undefined, 'GET carries no ok');
    assert.equal(bySlug.portfolio.slug, 'growth');
    expectError(await req('GET', '/portfolios/nope'), 404, 'NOT_FOUND', /portfolio "nope" not found/);
    expectError(await req('GET', `/portfolios/${encodeURIComponent('growth/system')}`), 404, 'NOT_FOUND');
  });

  test('patch: rename, re-slug, replace members (the official CLI sends allow_move false); the rules of create', async () => {
    const renamed = await req('PATCH', '/portfolios/growth', { name: 'Growth system', allow_move: false });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().ok, true);
    assert.equal(renamed.json().portfolio.name, 'Growth system');
    assert.deepEqual(renamed.json().portfolio.members.map((m: any) => m.project), ['app'], 'members untouched without projects');
    const members = await req('PATCH', `/portfolios/${growthId}`, { projects: ['app', 'shop'], allow_move: false });
    assert.deepEqual(members.json().portfolio.members.map((m: any) => m.project), ['app', 'shop']);
    expectError(await req('PATCH', '/portfolios/growth', { projects: ['blog'], allow_move: false }), 409, 'PROJECT_IN_PORTFOLIO', /"blog" \(in portfolio "content"\)/);
    expectError(await req('PATCH', '/portfolios/growth', { slug: 'content' }), 409, 'PORTFOLIO_SLUG_EXISTS');
    const reslugged = await req('PATCH', '/portfolios/growth', { slug: 'growth-system' });
    assert.equal(reslugged.json().portfolio.slug, 'growth-system');
    assert.equal(reslugged.json().portfolio.id, growthId);
    expectError(await req('GET', '/portfolios/growth'), 404, 'NOT_FOUND');
    const emptied = await req('PATCH', '/portfolios/growth-system', { projects: [] });
    assert.deepEqual(emptied.json().portfolio.members, []);
    await req('PATCH', '/portfolios/growth-system', { projects: ['app', 'shop'] });

    expectError(await req('PATCH', '/portfolios/growth-system', {}), 400, 'MISSING_FIELDS', /no fields to update/);
    expectError(await req('PATCH', '/portfolios/growth-system', { allow_move: true }), 400, 'MISSING_FIELDS');
    expectError(await req('PATCH', '/portfolios/nope', {}), 400, 'MISSING_FIELDS', undefined);
    expectError(await req('PATCH', '/portfolios/nope', { name: 'X' }), 404, 'NOT_FOUND');
    expectError(await req('PATCH', '/portfolios/growth-system', { name: '' }), 400, 'INVALID_BODY', /name must not be empty/);
    expectError(await req('PATCH', '/portfolios/growth-system', { slug: 'Bad Slug' }), 400, 'INVALID_BODY');
    expectError(await req('PATCH', '/portfolios/growth-system', { projects: ['missing'] }), 404, 'NOT_FOUND', /"missing"/);
    expectError(await req('PATCH', '/portfolios/growth-system', { name: 'X', colour: 'red' }), 400, 'INVALID_BODY', /unknown field "colour"/);
  });

  test('deleted projects drop out of portfolios; deleting a portfolio keeps its projects', async () => {
    await req('PATCH', '/portfolios/growth-system', { projects: ['app', 'shop', 'gone'] });
    assert.equal((await req('DELETE', `/projects/${ids.gone}`)).statusCode, 200);
    assert.deepEqual((await req('GET', '/portfolios/growth-system')).json().portfolio.members.map((m: any) => m.project), ['app', 'shop']);
    expectError(await req('PATCH', '/portfolios/growth-system', { projects: ['gone'] }), 404, 'NOT_FOUND', /deleted projects cannot be added/);
    const del = await req('DELETE', '/portfolios/content');
    assert.equal(del.statusCode, 200, del.body);
    assert.equal(del.json().ok, true);
    assert.match(del.json().deleted, /^pf_/);
    expectError(await req('DELETE', '/portfolios/content'), 404, 'NOT_FOUND');
    const projects = (await req('GET', '/projects')).json().projects.map((p: any) => p.name);
    assert.ok(projects.includes('blog') && projects.includes('docs'), 'its projects are untouched');
    const again = await req('POST', '/portfolios', { slug: 'content', name: 'Content', projects: ['blog', 'docs'] });
    assert.equal(again.statusCode, 201, 'the slug and the projects are free again');
  });

  test('tenant isolation: another account sees none of it, by id or slug, and cannot use its projects', async () => {
    const other = await t.newAccount('pro');
    assert.deepEqual((await req('GET', '/portfolios', undefined, other)).json(), { portfolios: [] });
    for (const ref of ['growth-system', growthId]) {
      expectError(await req('GET', `/portfolios/${ref}`, undefined, other), 404, 'NOT_FOUND');
      expectError(await req('PATCH', `/portfolios/${ref}`, { name: 'Mine' }, other), 404, 'NOT_FOUND');
      expectError(await req('DELETE', `/portfolios/${ref}`, undefined, other), 404, 'NOT_FOUND');
    }
    expectError(await req('POST', '/portfolios', { name: 'Steal', projects: ['app', ids.shop] }, other), 404, 'NOT_FOUND', /"app", "proj_/);
    const mine = await t.newProject(other, 'app');
    const own = await req('POST', '/portfolios', { slug: 'growth-system', name: 'Mine', projects: ['app'] }, other);
    assert.equal(own.statusCode, 201, 'the same slug and project name in another account');
    assert.equal(own.json().portfolio.members[0].project_id, mine.id);
    assert.equal((await req('GET', '/portfolios/growth-system')).json().portfolio.name, 'Growth system', 'the first account\'s is unchanged');
  });

  test('at most 100 portfolios per account (403)', async () => {
    const key = await t.newAccount('pro');
    for (let i = 0; i < 100; i++) assert.equal((await req('POST', '/portfolios', { slug: `p${i}`, name: `P${i}` }, key)).statusCode, 201);
    expectError(await req('POST', '/portfolios', { slug: 'one-more', name: 'One more' }, key), 403, 'FORBIDDEN', /portfolio limit reached \(100 per account\)/);
  });
});

describe('portfolio context', () => {
  const EMPTY = { goals: [], surface_roles: [], shared_milestones: [], glossary: [] };
  const OFFICIAL = {
    goals: ['Increase qualified users who reach setup'],
    surface_roles: [{ project: 'app', role: 'scanner_and_conversion' }, { project: 'docs', role: 'discovery' }],
    shared_milestones: ['qualified_click_to_product'],
    glossary: [{ term: 'Qualified click', definition: 'A visitor reaches the main product with relevant intent.' }],
  };
  const stored = () => ({
    ...OFFICIAL,
    surface_roles: [{ project_id: ids.app, project: 'app', role: 'scanner_and_conversion' }, { project_id: ids.docs, project: 'docs', role: 'discovery' }],
  });

  test('an account without one reads four empty lists', async () => {
    const res = await req('GET', '/portfolio-context');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { portfolio_context: EMPTY });
  });

  test('PUT the official CLI\'s JSON: ok with surface roles resolved to project ids; GET reads it back', async () => {
    const res = await req('PUT', '/portfolio-context', OFFICIAL);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { ok: true, portfolio_context: stored() });
    assert.deepEqual((await req('GET', '/portfolio-context')).json(), { portfolio_context: stored() });
    // The GET answer, edited and sent back whole (roles carry project_id and project), round-trips.
    const back = await req('PUT', '/portfolio-context', (await req('GET', '/portfolio-context')).json());
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual(back.json().portfolio_context, stored());
    // Roles by project id; strings trimmed.
    const byId = await req('PUT', '/portfolio-context', { ...OFFICIAL, goals: ['  spaced  '], surface_roles: [{ project_id: ids.shop, role: 'checkout' }] });
    assert.deepEqual(byId.json().portfolio_context.surface_roles, [{ project_id: ids.shop, project: 'shop', role: 'checkout' }]);
    assert.deepEqual(byId.json().portfolio_context.goals, ['spaced']);
  });

  test('400s name the field and the limit; unknown projects 404; a refused PUT changes nothing', async () => {
    await req('PUT', '/portfolio-context', OFFICIAL);
    expectError(await req('PUT', '/portfolio-context', { goals: Array(6).fill('g') }), 400, 'INVALID_BODY', /goals has 6 items; the limit is 5/);
    expectError(await req('PUT', '/portfolio-context', { goals: ['x'.repeat(161)] }), 400, 'INVALID_BODY', /goals\[0\] is 161 characters; the limit is 160/);
    expectError(await req('PUT', '/portfolio-context', { shared_milestones: ['x'.repeat(97)] }), 400, 'INVALID_BODY', /shared_milestones\[0\] is 97 characters; the limit is 96/);
    expectError(await req('PUT', '/portfolio-context', { surface_roles: Array.from({ length: 21 }, () => ({ project: 'app', role: 'r' })) }), 400, 'INVALID_BODY', /surface_roles has 21 items; the limit is 20/);
    expectError(await req('PUT', '/portfolio-context', { surface_roles: [{ project: 'app' }] }), 400, 'INVALID_BODY', /surface_roles\[0\]\.role is required/);
    expectError(await req('PUT', '/portfolio-context', { surface_roles: [{ role: 'x' }] }), 400, 'INVALID_BODY', /surface_roles\[0\]\.project is required/);
    expectError(await req('PUT', '/portfolio-context', { surface_roles: [{ project: 'app', role: 'a' }, { project: ids.app, role: 'b' }] }), 400, 'INVALID_BODY', /project "app" more than once/);
    expectError(await req('PUT', '/portfolio-context', { surface_roles: [{ project: 'nope', role: 'a' }, { project: 'gone', role: 'b' }] }), 404, 'NOT_FOUND', /"nope", "gone"/);
    expectError(await req('PUT', '/portfolio-context', { glossary: [{ term: 'T' }] }), 400, 'INVALID_BODY', /glossary\[0\]\.definition is required/);
    expectError(await req('PUT', '/portfolio-context', { glossary: [{ event_name: 'signup', term: 'T', definition: 'D' }] }), 400, 'INVALID_BODY', /unknown field "event_name" in glossary\[0\]/);
    expectError(await req('PUT', '/portfolio-context', { activation_events: ['signup'] }), 400, 'INVALID_BODY', /unknown field "activation_events" in the body; allowed: goals, surface_roles, shared_milestones, glossary/);
    expectError(await req('PUT', '/portfolio-context', { goals: [], portfolio_context: {} }), 400, 'INVALID_BODY', /with portfolio_context, put the lists inside it/);
    expectError(await req('PUT', '/portfolio-context', [1]), 400, 'INVALID_BODY');
    expectError(await req('PUT', '/portfolio-context', { goals: 'one' }), 400, 'INVALID_BODY', /goals must be an array/);
    assert.deepEqual((await req('GET', '/portfolio-context')).json(), { portfolio_context: stored() });
  });

  test('renamed projects show their new name; deleted ones drop out of the roles; {} clears it', async () => {
    await req('PUT', '/portfolio-context', { ...OFFICIAL, surface_roles: [...OFFICIAL.surface_roles, { project: 'shop', role: 'checkout' }] });
    assert.equal((await req('PATCH', `/projects/${ids.docs}`, { name: 'handbook' })).statusCode, 200);
    assert.equal((await req('DELETE', `/projects/${ids.shop}`)).statusCode, 200);
    assert.deepEqual((await req('GET', '/portfolio-context')).json().portfolio_context.surface_roles, [
      { project_id: ids.app, project: 'app', role: 'scanner_and_conversion' }, { project_id: ids.docs, project: 'handbook', role: 'discovery' },
    ]);
    const cleared = await req('PUT', '/portfolio-context', {});
    assert.deepEqual(cleared.json(), { ok: true, portfolio_context: EMPTY });
    assert.deepEqual((await req('GET', '/portfolio-context')).json(), { portfolio_context: EMPTY });
  });

  test('per account: another account reads its own (empty) context and cannot name the first account\'s projects', async () => {
    await req('PUT', '/portfolio-context', { goals: ['A only'], surface_roles: [{ project: 'app', role: 'x' }] });
    const other = await t.newAccount('pro');
    assert.deepEqual((await req('GET', '/portfolio-context', undefined, other)).json(), { portfolio_context: EMPTY });
    expectError(await req('PUT', '/portfolio-context', { surface_roles: [{ project: ids.app, role: 'x' }] }, other), 404, 'NOT_FOUND');
    assert.deepEqual((await req('GET', '/portfolio-context')).json().portfolio_context.goals, ['A only']);
  });
});

test('the portfolio and journey routes are documented in /openapi.json', async () => {
  const paths = Object.keys((await t.app.inject('/openapi.json')).json().paths);
  for (const p of ['/journey', '/portfolios', '/portfolios/{idOrSlug}', '/portfolio-context']) assert.ok(paths.includes(p), p);
});
