// `feedback "<message>"` (POST /account/feedback): tell the operators of this server what worked or did not.
import { type Command, opt, UsageError } from '../command.js';

export const feedbackCommand: Command = {
  name: 'feedback',
  summary: 'Send feedback to the operators of this server (what worked, what did not, what is missing)',
  usage: `agent-analytics feedback "<message>" [--project <name>] [--command "<command it is about>"] [--context '<text or JSON object>']
The message is at most 4000 characters; --command at most 500; --context at most 4000 (as JSON). Never include secrets.`,
  options: { project: { type: 'string', short: 'p' }, command: { type: 'string' }, context: { type: 'string' } },
  async run(ctx, positionals, v) {
    const message = positionals.join(' ').trim();
    if (message === '') throw new UsageError('feedback needs a message, e.g. agent-analytics feedback "the funnel command should accept --since 90d"');
    const raw = opt.str(v, 'context');
    let context: unknown = raw;
    if (raw !== undefined && raw.trim().startsWith('{')) context = opt.json(v, 'context');
    const body = { message, project: opt.str(v, 'project'), command: opt.str(v, 'command'), context };
    const res = await ctx.client().request<{ ok: true }>('POST', '/account/feedback', { body: Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined)) });
    ctx.out(ctx.json ? JSON.stringify(res, null, 2) : 'Thanks — feedback sent.');
    return 0;
  },
};
