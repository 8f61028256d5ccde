// The MCP server: lists TOOLS with their published input schemas and runs them through the typed API client.
// Built on the SDK's low-level Server because our input schemas are JSON Schema (TypeBox), not zod.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, type CallToolResult, ErrorCode, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Flag } from '../client/api-types.js';
import { type AnalyticsClient, ClientError } from '../client/client.js';
import { checkArguments, publishedInput } from './tool-schema.js';
import { TOOLS, type ToolDef } from './tools.js';

export const SERVER_INFO = { name: 'agent-analytics', version: '0.1.0' };

const INSTRUCTIONS = `Agent Analytics: web analytics you query with tools. Start with get_account or list_projects to learn the project names; \
every report tool takes project (the name) and most take since (7d, 30d or an ISO date, UTC). Rates are fractions 0-1; change_pct may be null. \
When a result has a "flags" array, tell the user about each flag and follow its advice. \
When a result has "project_context", use its goals, activation events and glossary to interpret the numbers (get_project_context reads it).`;

/** MCP annotations from what a tool declares it may change (spec defaults would call every write destructive). */
export function annotationsOf(tool: ToolDef): NonNullable<Tool['annotations']> {
  const base = { title: tool.title, openWorldHint: false };
  return tool.readOnly
    ? { ...base, readOnlyHint: true }
    : { ...base, readOnlyHint: false, destructiveHint: tool.destructive, idempotentHint: tool.idempotent };
}

/** `METHOD /path` → the tool that makes that request, from the tools' own `api` declarations. */
const TOOL_FOR_ROUTE = new Map(TOOLS.flatMap((t) => (t.api ?? []).map((route) => [route, t.name] as const)));
const ROUTE = /\b(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9_./{}-]*[A-Za-z0-9_}])(\?[^\s),;]*)?/g;

/** Server messages name HTTP routes; an agent on MCP needs the tool to call instead ("GET /projects" → list_projects). */
export function inToolTerms(text: string): string {
  return text.replace(ROUTE, (whole, method: string, path: string, query: string | undefined) => {
    const route = `${method} ${path}`;
    const tool = TOOL_FOR_ROUTE.get(route) ?? TOOL_FOR_ROUTE.get(route.replace(/\/[^/]+$/, '/{id}'));
    if (!tool) return whole;
    return query ? `${tool} (${query.slice(1).split('&').join(', ')})` : tool;
  });
}

/**
 * A successful result: `structuredContent` is the response body and the last text block its compact JSON
 * serialisation (what the MCP spec asks of tools returning structured content, for clients that only read
 * text); flags, when present, come first in a text block of their own so a model reads them before the data.
 */
function success(body: unknown): CallToolResult {
  const flags = (body as { flags?: Flag[] } | null)?.flags;
  if (flags?.length) body = { ...(body as object), flags: flags.map((f) => ({ ...f, message: inToolTerms(f.message) })) };
  const content: CallToolResult['content'] = [];
  if (flags?.length) content.push({ type: 'text', text: `FLAGS — tell the user and act on them:\n${(body as { flags: Flag[] }).flags.map((f) => `- [${f.severity}] ${f.code}: ${f.message}`).join('\n')}` });
  content.push({ type: 'text', text: JSON.stringify(body) });
  return { content, ...(body && typeof body === 'object' && !Array.isArray(body) ? { structuredContent: body as Record<string, unknown> } : {}) };
}

function failure(text: string, data: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }], structuredContent: data };
}

/** What the agent should do next, in tool terms. */
function hintFor(err: ClientError): string | null {
  if (err.status === 401) return err.code === 'INVALID_TOKEN' ? 'the project token is unknown or its project was deleted; get the current token from list_projects' : 'the credential is missing, revoked or expired: set AA_API_KEY or `agent-analytics login` (stdio), or send X-API-Key / Authorization: Bearer (HTTP) with a valid aak_ key or aas_ agent token';
  if (err.status === 403 && err.code === 'INSUFFICIENT_SCOPE') {
    return err.extra.missing_scope === 'owner'
      ? 'only the account owner can do this; tell the user to do it themselves with the owner key'
      : `this credential may not do that (it lacks "${String(err.extra.missing_scope)}"); do not retry: tell the user, who can grant it with a new key or agent session`;
  }
  if (err.status === 403 && err.code === 'PROJECT_NOT_ALLOWED') return 'this key is restricted to some projects; list_projects shows the ones it may use';
  if (err.status === 404) return err.code === 'EXPERIMENT_NOT_FOUND' ? 'get experiment ids from list_experiments' : 'check the project name with list_projects';
  if (err.status === 403 && err.code === 'PRO_REQUIRED') return 'experiments need a pro account; ask the operator to upgrade the tier';
  if (err.status === 0 && err.code === 'UNREACHABLE') return 'the MCP server cannot reach the analytics server: check AA_URL';
  return null;
}

/**
 * A JSON-RPC error with a plain message. (McpError prefixes "MCP error <code>: " to its message, and the
 * SDK client prefixes it again when it rebuilds the error, so clients would show the prefix twice.)
 */
function protocolError(code: ErrorCode, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

/** Run one tool call: check the arguments against the published schema, call the API, shape the result. */
export async function callTool(client: AnalyticsClient, name: string, rawArgs: unknown): Promise<CallToolResult> {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw protocolError(ErrorCode.InvalidParams, `unknown tool "${name}"; list the tools with tools/list`);
  const checked = checkArguments(tool, rawArgs);
  if (!checked.ok) {
    return failure(`invalid arguments for ${name}: ${checked.problems.join('; ')}`, { error: 'INVALID_ARGUMENTS', message: checked.problems.join('; '), problems: checked.problems });
  }
  try {
    return success(await tool.run(client, checked.args));
  } catch (err) {
    if (!(err instanceof ClientError)) throw err;
    const hint = hintFor(err);
    const message = inToolTerms(err.message);
    return failure(`${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${message}${hint ? `\nHint: ${hint}` : ''}`, { ...err.toJSON(), message });
  }
}

/** tools/list entries: the same for every transport. */
export const listedTools = (): Tool[] => TOOLS.map((t) => ({
  name: t.name,
  title: t.title,
  description: t.description,
  inputSchema: publishedInput(t) as Tool['inputSchema'],
  annotations: annotationsOf(t),
}));

/** A fresh MCP server whose tools call the API through `client` (one per stdio process or HTTP request). */
export function createMcpServer(client: AnalyticsClient): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listedTools() }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => callTool(client, request.params.name, request.params.arguments));
  return server;
}
