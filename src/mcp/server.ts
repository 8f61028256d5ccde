// The MCP server: lists TOOLS with their TypeBox input schemas and runs them through the typed API client.
// Built on the SDK's low-level Server because our input schemas are JSON Schema (TypeBox), not zod.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, type CallToolResult, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { Value } from 'typebox/value';
import type { Flag } from '../cli/api-types.js';
import { type AnalyticsClient, ClientError } from '../cli/client.js';
import { TOOLS, type ToolDef } from './tools.js';

export const SERVER_INFO = { name: 'agent-analytics', version: '0.1.0' };

const INSTRUCTIONS = `Agent Analytics: web analytics you query with tools. Start with get_account or list_projects to learn the project names; \
every report tool takes project (the name) and most take since (7d, 30d or an ISO date, UTC). Rates are fractions 0-1; change_pct may be null. \
When a result has a "flags" array, tell the user about each flag and follow its advice. \
When a result has "project_context", use its goals, activation events and glossary to interpret the numbers (get_project_context reads it).`;

/** The JSON Schema an MCP client sees: TypeBox schemas are JSON Schema already; drop nothing but symbols. */
const inputSchema = (tool: ToolDef) => JSON.parse(JSON.stringify(tool.input)) as { type: 'object'; properties?: Record<string, object>; required?: string[] };

function success(body: unknown): CallToolResult {
  const flags = (body as { flags?: Flag[] } | null)?.flags;
  const head = flags?.length ? `FLAGS — tell the user and act on them:\n${flags.map((f) => `- [${f.severity}] ${f.code}: ${f.message}`).join('\n')}\n\n` : '';
  return {
    content: [{ type: 'text', text: head + JSON.stringify(body, null, 2) }],
    ...(body && typeof body === 'object' && !Array.isArray(body) ? { structuredContent: body as Record<string, unknown> } : {}),
  };
}

function failure(text: string, data: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }], structuredContent: data };
}

/** What the agent should do next, in tool terms. */
function hintFor(err: ClientError): string | null {
  if (err.status === 401) return err.code === 'INVALID_TOKEN' ? 'the project token is unknown or its project was deleted; get the current token from list_projects' : 'the API key is missing or revoked: set AA_API_KEY (stdio) or the X-API-Key header (HTTP) to a valid aak_ key';
  if (err.status === 404) return err.code === 'EXPERIMENT_NOT_FOUND' ? 'get experiment ids from list_experiments' : 'check the project name with list_projects';
  if (err.status === 403 && err.code === 'PRO_REQUIRED') return 'experiments need a pro account; ask the operator to upgrade the tier';
  if (err.status === 0 && err.code === 'UNREACHABLE') return 'the MCP server cannot reach the analytics server: check AA_URL';
  return null;
}

/** Run one tool call: validate the arguments against the route schema, call the API, shape the result. */
export async function callTool(client: AnalyticsClient, name: string, rawArgs: unknown): Promise<CallToolResult> {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool "${name}"; list the tools with tools/list`);
  const args = (rawArgs ?? {}) as Record<string, unknown>;
  if (!Value.Check(tool.input, args)) {
    const problems = [...Value.Errors(tool.input, args)].slice(0, 5).map((e) => `${e.instancePath || '(arguments)'} ${e.message}`);
    return failure(`invalid arguments for ${name}: ${problems.join('; ')}. Expected: ${JSON.stringify(inputSchema(tool).properties)}`, { error: 'INVALID_ARGUMENTS', problems });
  }
  // Only the schema's own fields reach the API; unknown keys from a model are dropped.
  const known = Object.fromEntries(Object.entries(args).filter(([k]) => k in tool.input.properties));
  try {
    return success(await tool.run(client, known));
  } catch (err) {
    if (!(err instanceof ClientError)) throw err;
    const hint = hintFor(err);
    return failure(`${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}${hint ? `\nHint: ${hint}` : ''}`, err.toJSON());
  }
}

/** A fresh MCP server whose tools call the API through `client` (one per stdio process or HTTP request). */
export function createMcpServer(client: AnalyticsClient): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: inputSchema(t),
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => callTool(client, request.params.name, request.params.arguments));
  return server;
}
