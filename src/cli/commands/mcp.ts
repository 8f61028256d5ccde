// `mcp`: serve the MCP tools over stdio to a local agent, talking to the server at AA_URL with AA_API_KEY.
import type { Command } from '../command.js';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Run the MCP server over stdio (configure with AA_URL and AA_API_KEY, or `login`)',
  usage: 'agent-analytics mcp',
  async run(ctx) {
    const { runStdioServer } = await import('../../mcp/stdio.js');
    await runStdioServer(ctx.client());
    return 0;
  },
};
