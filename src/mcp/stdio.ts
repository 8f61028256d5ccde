// `agent-analytics mcp`: the MCP server on stdin/stdout for a local agent; logs go to stderr only.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AnalyticsClient } from '../client/client.js';
import { createMcpServer } from './server.js';

/** Serve until the client closes stdin. */
export async function runStdioServer(client: AnalyticsClient): Promise<void> {
  const server = createMcpServer(client);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  process.stderr.write(`agent-analytics MCP server on stdio, API ${client.baseUrl}${client.apiKey ? '' : ' (no API key: set AA_API_KEY)'}\n`);
  process.stdin.once('end', () => void server.close());
  await closed;
}
