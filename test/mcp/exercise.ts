// One scenario run by both MCP transports: list the tools, call each, and check the errors an agent sees.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { listedTools } from '../../src/mcp/server.js';

/** The question list of the issue → the one tool that answers it. */
export const QUESTION_TOOLS = [
  'track_event', 'track_batch', 'get_stats', 'list_events', 'get_pages', 'get_insights', 'get_live', 'get_breakdown',
  'run_funnel', 'get_retention', 'list_properties', 'create_project', 'get_experiment', 'create_experiment', 'get_account',
];

export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = res.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { res, text, data: res.structuredContent as any };
}

async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await call(client, name, args);
  assert.equal(r.res.isError, undefined, `${name} failed: ${r.text}`);
  return r;
}

export async function exerciseTools(client: Client, app: FastifyInstance, suffix: string): Promise<void> {
  // tools/list: every question has its tool; the transport delivers the published schemas and annotations
  // unchanged (test/mcp/schemas.test.ts checks those against the routes); descriptions are substantial.
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((t) => [t.name, t]));
  for (const name of QUESTION_TOOLS) assert.ok(byName.has(name), `missing tool ${name}`);
  for (const t of tools) assert.ok((t.description ?? '').length > 80, `${t.name} needs a description written for agents`);
  for (const expected of listedTools()) {
    const got = byName.get(expected.name);
    assert.deepEqual(got?.inputSchema, expected.inputSchema, expected.name);
    assert.deepEqual(got?.annotations, expected.annotations, expected.name);
  }
  assert.deepEqual(byName.get('get_stats')!.inputSchema.required, ['project'], 'tools require project even though the route keeps it optional');

  // Account and projects.
  const account = await ok(client, 'get_account');
  assert.equal(account.data.tier, 'pro');
  assert.deepEqual(Object.keys(account.data.usage), ['month', 'events', 'reads'], 'get_account carries the usage summary');
  const project = `mcp-site-${suffix}`;
  const created = await ok(client, 'create_project', { name: project });
  assert.match(created.data.snippet, new RegExp(`data-project="${project}"`));
  assert.match(created.data.snippet, /^<script defer src="http:\/\/127\.0\.0\.1:\d+\/tracker\.js"/, 'the snippet names the address the agent used');
  const token = created.data.project_token as string;
  assert.ok((await ok(client, 'list_projects')).data.projects.some((p: { name: string }) => p.name === project));
  assert.equal((await ok(client, 'get_project', { project })).data.id, created.data.id);
  assert.equal((await ok(client, 'update_project', { project: created.data.id, allowed_origins: 'https://mcp.example' })).data.allowed_origins, 'https://mcp.example');

  // Ingestion: by project name (token looked up) and by token; several at once.
  assert.deepEqual((await ok(client, 'track_event', { project, event: 'signup', user_id: 'u1', session_id: 's1', properties: { plan: 'pro', path: '/pricing' } })).data, { ok: true, queued: true });
  const batch = await ok(client, 'track_batch', { token, events: [
    { event: 'page_view', user_id: 'u1', session_id: 's1', properties: { path: '/' } },
    { event: 'page_view', user_id: 'u2', session_id: 's2', properties: { path: '/docs' } },
  ] });
  assert.equal(batch.data.count, 2);
  const session = await ok(client, 'list_events', { project, session_id: 's1' });
  assert.deepEqual(session.data.events.map((e: { event: string }) => e.event).sort(), ['page_view', 'signup']);
  const live = await ok(client, 'get_live', { project });
  assert.equal(live.data.active_visitors, 2);

  // Results are compact JSON; paging by cursor reaches every event once.
  const page1 = await ok(client, 'list_events', { project, limit: 2 });
  assert.equal(page1.text, JSON.stringify(page1.data));
  assert.equal(page1.data.events.length, 2);
  const page2 = await ok(client, 'list_events', { project, limit: 2, cursor: page1.data.next_cursor });
  assert.equal(page2.data.next_cursor, undefined);
  assert.equal(new Set([...page1.data.events, ...page2.data.events].map((e: { id: string }) => e.id)).size, 3);
  const older = await ok(client, 'list_events', { project, until: page1.data.events[0].timestamp + 1 });
  assert.equal(older.data.events.length, 3);

  // Experiments.
  const exp = await ok(client, 'create_experiment', { project, name: 'signup_cta', variants: ['control', 'new_cta'], goal_event: 'signup' });
  assert.equal((await ok(client, 'list_experiments', { project })).data.experiments[0].id, exp.data.id);
  const results = await ok(client, 'get_experiment', { experiment_id: exp.data.id });
  assert.deepEqual(results.data.results.variants.map((v: { key: string }) => v.key), ['control', 'new_cta']);
  assert.equal((await ok(client, 'update_experiment', { experiment_id: exp.data.id, status: 'completed', winner: 'new_cta' })).data.winner, 'new_cta');

  // Analytics reads, as their routes exist.
  const reads: [string, string, string, Record<string, unknown>, (d: any) => void][] = [
    ['GET', '/stats', 'get_stats', {}, (d) => assert.equal(d.totals.total_events, 3)],
    ['GET', '/stats', 'get_stats', { group_by: 'hour' }, (d) => assert.equal(d.period.groupBy, 'hour')],
    ['GET', '/insights', 'get_insights', { period: '30d' }, (d) => assert.equal(typeof d.metrics.bounce_rate.current, 'number')],
    ['GET', '/pages', 'get_pages', {}, (d) => assert.ok(Array.isArray(d.entry_pages))],
    ['GET', '/breakdown', 'get_breakdown', { property: 'path' }, (d) => assert.ok(d.values.length >= 2)],
    ['POST', '/funnel', 'run_funnel', { steps: [{ event: 'page_view' }, { event: 'signup' }] }, (d) => assert.equal(d.steps.length, 2)],
    ['GET', '/retention', 'get_retention', {}, (d) => assert.ok(Array.isArray(d.average_rates))],
    ['GET', '/properties/received', 'list_properties', {}, (d) => assert.ok(d.properties.some((p: { key: string }) => p.key === 'plan'))],
    ['GET', '/properties', 'discover_events', {}, (d) => assert.ok(d.events.some((e: { event: string }) => e.event === 'signup'))],
    ['POST', '/query', 'run_query', { metrics: ['event_count'], group_by: ['event'] }, (d) => assert.ok(d.rows.length >= 2)],
    ['GET', '/sessions', 'list_sessions', {}, (d) => assert.equal(d.sessions.length, 2)],
    ['GET', '/sessions/distribution', 'get_session_distribution', {}, (d) => assert.ok(Array.isArray(d.distribution))],
    ['GET', '/heatmap', 'get_heatmap', {}, (d) => assert.ok(d.heatmap.length >= 1)],
  ];
  for (const [method, url, tool, args, check] of reads) {
    assert.ok(app.hasRoute({ method: method as 'GET', url }), `${method} ${url} is registered`);
    check((await ok(client, tool, { project, ...args })).data);
  }

  // One user's journey, portfolios and their shared context.
  const journey = await ok(client, 'get_journey', { project, user_id: 'u1' });
  assert.deepEqual(journey.data.events.map((e: { event: string }) => e.event).sort(), ['page_view', 'signup']);
  assert.equal(journey.data.profiles[0].session_count, 1);
  assert.deepEqual(byName.get('get_journey')!.inputSchema.required?.slice().sort(), ['project', 'user_id']);
  const portfolio = `mcp-pf-${suffix}`;
  const pf = await ok(client, 'create_portfolio', { slug: portfolio, name: 'MCP portfolio', projects: [project] });
  assert.deepEqual(pf.data.portfolio.members.map((m: { project: string }) => m.project), [project]);
  assert.ok((await ok(client, 'list_portfolios')).data.portfolios.some((p: { slug: string }) => p.slug === portfolio));
  assert.equal((await ok(client, 'get_portfolio', { portfolio: pf.data.portfolio.id })).data.portfolio.slug, portfolio);
  const updated = (await ok(client, 'update_portfolio', { portfolio: portfolio, name: 'Renamed', projects: [] })).data.portfolio;
  assert.deepEqual([updated.id, updated.name, updated.members], [pf.data.portfolio.id, 'Renamed', []]);
  const context = { goals: ['One funnel across the sites'], surface_roles: [{ project, role: 'conversion' }], shared_milestones: ['signup'], glossary: [{ term: 'Activated', definition: 'Signed up.' }] };
  const saved = await ok(client, 'set_portfolio_context', context);
  assert.deepEqual(saved.data.portfolio_context.surface_roles, [{ project_id: pf.data.portfolio.members[0].project_id, project, role: 'conversion' }]);
  assert.deepEqual((await ok(client, 'get_portfolio_context')).data.portfolio_context.goals, context.goals);
  assert.equal((await ok(client, 'delete_portfolio', { portfolio: portfolio })).data.ok, true);
  const gone = await call(client, 'get_portfolio', { portfolio: portfolio });
  assert.equal(gone.data.error, 'NOT_FOUND');
  const missingUser = await call(client, 'get_journey', { project });
  assert.equal(missingUser.data.error, 'INVALID_ARGUMENTS', 'user_id is required by the tool schema');

  // Errors an agent must be able to act on.
  const unknownProject = await call(client, 'list_events', { project: 'no-such-project' });
  assert.equal(unknownProject.res.isError, true);
  assert.equal(unknownProject.data.error, 'NOT_FOUND');
  assert.match(unknownProject.text, /Hint: check the project name with list_projects/);
  const badArgs = await call(client, 'list_events', { project: 42 });
  assert.equal(badArgs.res.isError, true);
  assert.equal(badArgs.data.error, 'INVALID_ARGUMENTS');
  assert.match(badArgs.text, /^invalid arguments for list_events: project must be string$/);
  const missing = await call(client, 'get_stats', {});
  assert.equal(missing.res.isError, true);
  assert.match(missing.text, /missing required project/);
  const camel = await call(client, 'get_stats', { project, groupBy: 'hour' });
  assert.equal(camel.text, 'invalid arguments for get_stats: unknown argument "groupBy"; valid: project, since, group_by, filters');
  const badUntil = await call(client, 'list_events', { project, until: 'last tuesday' });
  assert.equal(badUntil.data.error, 'MISSING_FIELDS');
  assert.match(badUntil.text, /^MISSING_FIELDS \(HTTP 400\): until must be/);
  const noExp = await call(client, 'get_experiment', { experiment_id: 'exp_nope' });
  assert.equal(noExp.data.error, 'EXPERIMENT_NOT_FOUND');
  assert.match(noExp.text, /list_experiments/);
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), (err: Error) => {
    assert.match(err.message, /unknown tool "no_such_tool"/);
    assert.doesNotMatch(err.message, /MCP error -32602: MCP error/, 'the protocol error prefix appears once');
    return true;
  });
}

/**
 * rotate_api_key on a throw-away account: refused without confirm, then the key changes, the old one is dead
 * and the new one works. Returns the new key; `sameSessionWorks` says whether this transport keeps using the
 * new key in the session that rotated (stdio does; an HTTP client keeps sending its configured header).
 */
export async function exerciseRotation(client: Client, app: FastifyInstance, oldKey: string, sameSessionWorks: boolean): Promise<string> {
  const refused = await call(client, 'rotate_api_key', {});
  assert.equal(refused.data.error, 'INVALID_ARGUMENTS');
  assert.match(refused.text, /missing required confirm/);
  const rotated = await ok(client, 'rotate_api_key', { confirm: true });
  assert.match(rotated.data.api_key, /^aak_[0-9a-f]{48}$/);
  assert.notEqual(rotated.data.api_key, oldKey);
  assert.match(rotated.data.note, /no longer works/);
  assert.equal((await app.inject({ url: '/account', headers: { 'x-api-key': oldKey } })).statusCode, 401);
  assert.equal((await app.inject({ url: '/account', headers: { 'x-api-key': rotated.data.api_key } })).statusCode, 200);
  if (sameSessionWorks) assert.equal((await call(client, 'get_account')).res.isError, undefined, 'the session switched to the new key');
  return rotated.data.api_key as string;
}
