// `stream` (E16): follow events as they arrive (SSE), until Ctrl-C, --max events or --duration seconds.
import { type Command, opt } from '../command.js';
import { compactJson, time } from '../output.js';

export const streamCommand: Command = {
  name: 'stream',
  summary: 'Follow live events (one line each; --json prints one JSON object per line)',
  usage: 'agent-analytics stream [--project <name>] [--events page_view,signup] [--filter "path:/pricing;plan:pro"] [--max N] [--duration SECONDS]',
  options: { project: { type: 'string', short: 'p' }, events: { type: 'string' }, filter: { type: 'string' }, max: { type: 'string' }, duration: { type: 'string' } },
  async run(ctx, _p, v) {
    const max = opt.int(v, 'max');
    const seconds = opt.num(v, 'duration');
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const timer = seconds !== undefined ? setTimeout(onSignal, seconds * 1000) : null;
    let seen = 0;
    try {
      await ctx.client().stream({ project: opt.str(v, 'project'), events: opt.str(v, 'events'), filter: opt.str(v, 'filter') }, {
        onConnected: (info) => {
          if (!ctx.json) ctx.err(`streaming ${(info as { project?: string }).project ?? ''} (Ctrl-C to stop)`);
        },
        onEvent: (e) => {
          seen++;
          ctx.out(ctx.json ? JSON.stringify(e) : `${time(e.timestamp)}  ${e.event}  ${e.user_id ?? '-'}  ${compactJson(e.properties).slice(0, 100)}`);
          if (max !== undefined && seen >= max) stop.abort();
        },
      }, stop.signal);
    } finally {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};
