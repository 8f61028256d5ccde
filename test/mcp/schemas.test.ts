// Every tool's input schema as a strict JSON-Schema validator and a careful client see it: valid draft
// 2020-12 under ajv's strict mode, closed to unknown arguments, required fields and closed sets declared,
// still the route's own schema (only narrowed), honest annotations, and arguments checked with messages
// that name what is valid. No server needed: the published schemas are pure data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { annotationsOf, callTool, inToolTerms, listedTools } from '../../src/mcp/server.js';
import { checkArguments, publishedInput, type JsonSchema } from '../../src/mcp/tool-schema.js';
import { TOOLS } from '../../src/mcp/tools.js';
import { assertNarrowsRoute } from './narrows.js';

const tools = listedTools();
const byName = new Map(tools.map((t) => [t.name, t]));
const schemaOf = (name: string) => byName.get(name)!.inputSchema as JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] };
const prop = (name: string, path: string): JsonSchema => {
  let node: JsonSchema = schemaOf(name);
  for (const part of path.split('.')) {
    const [field, ...items] = part.split('[]');
    node = (node.properties as Record<string, JsonSchema>)[field];
    for (const _ of items) node = node.items as JsonSchema;
  }
  return node;
};

describe('MCP tool input schemas', () => {
  test('each compiles under ajv strict mode (draft 2020-12) and is closed to unknown arguments', () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    for (const t of tools) {
      assert.doesNotThrow(() => ajv.compile(t.inputSchema), `${t.name}: not a strict JSON Schema`);
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal((t.inputSchema as JsonSchema).additionalProperties, false, `${t.name} must refuse unknown arguments`);
      for (const name of Object.keys(t.inputSchema.properties ?? {})) assert.match(name, /^[a-z][a-z0-9_]*$/, `${t.name}.${name}: argument names are snake_case across the tool set`);
      assert.ok(!('id' in (t.inputSchema.properties ?? {})), `${t.name}: name the thing (project, experiment_id), not a bare id`);
    }
  });

  test('required fields', () => {
    const required: Record<string, string[]> = {
      create_project: ['name'], run_funnel: ['project', 'steps'], get_breakdown: ['project', 'property'], get_paths: ['project', 'goal_event'],
      create_experiment: ['project', 'name', 'variants', 'goal_event'], update_experiment: ['experiment_id', 'status'], get_stats: ['project'],
      list_events: ['project'], get_project: ['project'], update_project: ['project'], get_experiment: ['experiment_id'], rotate_api_key: ['confirm'],
      track_event: ['event'], track_batch: ['events'], send_feedback: ['message'],
    };
    for (const [name, fields] of Object.entries(required)) assert.deepEqual(schemaOf(name).required?.slice().sort(), fields.slice().sort(), name);
    for (const t of tools) {
      const projectOptional = ['get_live', 'get_bot_traffic', 'track_event', 'track_batch', 'send_feedback'].includes(t.name);
      if ('project' in (t.inputSchema.properties ?? {}) && !projectOptional) assert.ok(schemaOf(t.name).required?.includes('project'), `${t.name} requires project`);
    }
  });

  test('closed sets carry enums, bounded lists and numbers carry min/max', () => {
    const enums: [string, string, string[]][] = [
      ['get_stats', 'group_by', ['hour', 'day', 'week', 'month']],
      ['get_insights', 'period', ['1d', '7d', '14d', '30d', '90d']],
      ['get_pages', 'type', ['entry', 'exit', 'both']],
      ['get_retention', 'period', ['day', 'week', 'month']],
      ['run_funnel', 'count_by', ['user_id', 'session_id']],
      ['run_funnel', 'steps[].filters[].op', ['eq', 'neq', 'contains']],
      ['run_query', 'filters[].op', ['eq', 'neq', 'gt', 'lt', 'gte', 'lte', 'contains']],
      ['run_query', 'metrics[]', ['event_count', 'unique_users', 'session_count', 'bounce_rate', 'avg_duration']],
      ['run_query', 'group_by[]', ['event', 'date', 'user_id', 'session_id', 'country']],
      ['run_query', 'count_mode', ['raw', 'session_then_user']],
      ['run_query', 'order', ['asc', 'desc']],
      ['run_query', 'order_by', ['event_count', 'unique_users', 'session_count', 'date', 'event']],
      ['update_experiment', 'status', ['active', 'paused', 'completed']],
      ['list_sessions', 'is_bounce', ['0', '1']],
      ['get_paths', 'since', ['1d', '7d', '14d', '30d', '90d']],
      ['get_bot_traffic', 'period', ['1d', '7d', '14d', '30d', '90d']],
      ['get_all_sites', 'period', ['1d', '7d', '14d', '30d', '90d']],
    ];
    for (const [tool, path, values] of enums) assert.deepEqual(prop(tool, path).enum, values, `${tool}.${path}`);
    const ranges: [string, string, string, string, number, number][] = [
      ['run_funnel', 'steps', 'minItems', 'maxItems', 2, 8], ['create_experiment', 'variants', 'minItems', 'maxItems', 2, 4],
      ['track_batch', 'events', 'minItems', 'maxItems', 1, 100], ['list_events', 'limit', 'minimum', 'maximum', 1, 1000],
      ['list_sessions', 'limit', 'minimum', 'maximum', 1, 1000], ['get_live', 'window', 'minimum', 'maximum', 10, 300],
      ['get_paths', 'max_steps', 'minimum', 'maximum', 1, 5], ['get_retention', 'cohorts', 'minimum', 'maximum', 1, 30],
      ['run_funnel', 'breakdown_limit', 'minimum', 'maximum', 1, 50], ['get_bot_traffic', 'limit', 'minimum', 'maximum', 1, 50],
    ];
    for (const [tool, path, lo, hi, min, max] of ranges) {
      assert.equal(prop(tool, path)[lo], min, `${tool}.${path} ${lo}`);
      assert.equal(prop(tool, path)[hi], max, `${tool}.${path} ${hi}`);
    }
    assert.equal(prop('list_events', 'limit').default, 50, 'results sized for a context window');
    assert.equal(prop('list_events', 'limit').type, 'integer');
  });

  test('published schemas are the routes\' own, only renamed and narrowed', () => {
    for (const def of TOOLS) assertNarrowsRoute(def.name, publishedInput(def), def.input, def.refine?.rename);
  });

  test('annotations: read-only tools say so; writes that replace, complete, rotate or delete are destructive', () => {
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name).sort();
    assert.deepEqual(destructive, ['delete_portfolio', 'rotate_api_key', 'set_portfolio_context', 'set_project_context', 'update_experiment', 'update_portfolio', 'update_project']);
    for (const t of tools) {
      const def = TOOLS.find((d) => d.name === t.name)!;
      assert.deepEqual(t.annotations, annotationsOf(def));
      assert.equal(t.annotations?.readOnlyHint, def.readOnly, t.name);
      if (def.readOnly) assert.equal(t.annotations?.destructiveHint, undefined, `${t.name}: read-only, no write hints`);
      else assert.equal(typeof t.annotations?.idempotentHint, 'boolean', t.name);
      assert.equal(t.annotations?.openWorldHint, false);
    }
    assert.equal(byName.get('create_project')!.annotations?.idempotentHint, true);
    assert.equal(byName.get('track_event')!.annotations?.destructiveHint, false);
  });

  test('descriptions name tools, not HTTP routes; server messages are reworded the same way', () => {
    for (const t of tools) assert.doesNotMatch(t.description ?? '', /\b(GET|POST|PUT|PATCH|DELETE) \//, `${t.name} names an HTTP route`);
    assert.equal(inToolTerms('project "x" not found; list your projects with GET /projects'), 'project "x" not found; list your projects with list_projects');
    assert.equal(inToolTerms('check that events arrive (GET /events, GET /live).'), 'check that events arrive (list_events, get_live).');
    assert.equal(inToolTerms('use GET /breakdown?property=<key>)'), 'use get_breakdown (property=<key>))');
    assert.equal(inToolTerms('batch events with POST /track/batch (up to 100 per request)'), 'batch events with track_batch (up to 100 per request)');
    assert.equal(inToolTerms('see GET /projects/proj_1'), 'see get_project');
    assert.equal(inToolTerms('ask the operator (PATCH /admin/accounts/{id} {"tier":"pro"})'), 'ask the operator (PATCH /admin/accounts/{id} {"tier":"pro"})', 'operator routes stay');
  });
});

describe('MCP tool arguments', () => {
  const echo = new Proxy({}, { get: () => async (...a: unknown[]) => a.at(-1) }) as never;
  const text = async (name: string, args: unknown) => (await callTool(echo, name, args)).content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  test('unknown arguments are refused with the valid ones named (no silent default)', async () => {
    assert.equal(await text('get_stats', { project: 'p', groupBy: 'hour' }), 'invalid arguments for get_stats: unknown argument "groupBy"; valid: project, since, group_by, filters');
    assert.equal(await text('get_stats', { project: 'p', group_by: 'hourly' }), 'invalid arguments for get_stats: group_by must be one of: hour, day, week, month');
    assert.match(await text('run_funnel', { project: 'p', steps: [{ event: 'a', name: 'x' }, { event: 'b' }] }), /steps\[0\] has unknown argument "name"; valid: event, filters/);
    assert.match(await text('run_funnel', { project: 'p', steps: [{ event: 'a' }] }), /steps must not have fewer than 2 items/);
    assert.equal(await text('get_breakdown', { project: 'p' }), 'invalid arguments for get_breakdown: missing required property');
    const r = await callTool(echo, 'list_events', { project: 'p', limit: 'many' });
    assert.equal(r.isError, true);
    assert.equal((r.structuredContent as { error: string }).error, 'INVALID_ARGUMENTS');
  });

  test('renamed arguments reach the route under its own name; tool defaults apply', () => {
    assert.deepEqual(checkArguments(TOOLS.find((t) => t.name === 'get_stats')!, { project: 'p', group_by: 'hour' }), { ok: true, args: { project: 'p', groupBy: 'hour' } });
    assert.deepEqual(checkArguments(TOOLS.find((t) => t.name === 'list_events')!, { project: 'p' }), { ok: true, args: { project: 'p', limit: 50 } });
    assert.deepEqual(checkArguments(TOOLS.find((t) => t.name === 'update_experiment')!, { experiment_id: 'exp_1', status: 'paused' }), { ok: true, args: { id: 'exp_1', status: 'paused' } });
  });

  test('results: compact JSON text equal to structuredContent; flags first in their own block', async () => {
    const body = { project: 'p', flags: [{ code: 'stale_heatmap', severity: 'info', message: 'check GET /events' }], heatmap: [] };
    const r = await callTool({ heatmap: async () => body } as never, 'get_heatmap', { project: 'p' });
    assert.equal(r.content.length, 2);
    assert.equal((r.content[0] as { text: string }).text, 'FLAGS — tell the user and act on them:\n- [info] stale_heatmap: check list_events');
    const json = (r.content[1] as { text: string }).text;
    assert.ok(!json.includes('\n'), 'compact');
    assert.deepEqual(JSON.parse(json), r.structuredContent);
    assert.equal((r.structuredContent as typeof body).flags[0].message, 'check list_events');
  });

  test('an unknown tool is a protocol error whose message is not prefixed twice', async () => {
    await assert.rejects(callTool(echo, 'nope', {}), (err: Error & { code?: number }) => err.code === -32602 && err.message === 'unknown tool "nope"; list the tools with tools/list');
  });
});
