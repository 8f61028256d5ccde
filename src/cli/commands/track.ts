// `track`: send one test event with the project token (looked up by --project when --token is absent).
import { type Command, opt, UsageError } from '../command.js';

export const trackCommand: Command = {
  name: 'track',
  summary: 'Send a test event through POST /track with the project token',
  usage: 'agent-analytics track (--project <name> | --token aat_…) [--event test_event] [--properties \'{"path":"/"}\'] [--user-id U] [--session-id S] [--timestamp MS]',
  options: {
    project: { type: 'string', short: 'p' }, token: { type: 'string' }, event: { type: 'string' }, properties: { type: 'string' },
    'user-id': { type: 'string' }, 'session-id': { type: 'string' }, timestamp: { type: 'string' },
  },
  async run(ctx, _p, v) {
    const project = opt.str(v, 'project');
    const token = opt.str(v, 'token');
    if (!project && !token) throw new UsageError('track needs --project <name> (token looked up with your API key) or --token aat_…');
    const properties = opt.json(v, 'properties');
    if (properties !== undefined && (properties === null || typeof properties !== 'object' || Array.isArray(properties))) throw new UsageError('--properties must be a JSON object');
    const event = opt.str(v, 'event') ?? 'test_event';
    const res = await ctx.client().track({
      token, project, event, properties: properties as Record<string, unknown> | undefined,
      user_id: opt.str(v, 'user-id'), session_id: opt.str(v, 'session-id'), timestamp: opt.int(v, 'timestamp'),
    });
    if (ctx.json) ctx.out(JSON.stringify(res, null, 2));
    else if (res.queued) ctx.out(`Accepted "${event}" (202, stored). Check it with: agent-analytics events${project ? ` --project ${project}` : ' --project <name>'} --event ${event}`);
    else ctx.out(`The server dropped the event (${res.dropped ?? 'not queued'}).`);
    return 0;
  },
};
