// `properties` (E6, E7): which event names and custom property keys have been tracked.
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { table } from '../output.js';
import { answer } from './report.js';

export const propertiesCommand: Command = {
  name: 'properties',
  summary: 'Event names and property keys seen; --received lists keys per event name',
  usage: 'agent-analytics properties --project <name> [--since 7d] [--received [--sample 5000]]',
  options: { ...PROJECT_OPTION, since: { type: 'string' }, received: { type: 'boolean' }, sample: { type: 'string' } },
  async run(ctx, _p, v) {
    const client = ctx.client();
    if (v.received === true) {
      const res = await client.propertiesReceived({ project: projectOf(v), since: opt.str(v, 'since'), sample: opt.int(v, 'sample') });
      return answer(ctx, res, (r) => `Property keys since ${r.since} (last ${r.sample_size} events with properties)\n\n${table(['KEY', 'EVENT'], r.properties.map((p) => [p.key, p.event]), '(no properties tracked in this window)')}`);
    }
    const res = await client.properties({ project: projectOf(v), since: opt.str(v, 'since') });
    return answer(ctx, res, (r) => `${table(['EVENT', 'COUNT', 'USERS', 'FIRST SEEN', 'LAST SEEN'], r.events.map((e) => [e.event, e.count, e.unique_users, e.first_seen, e.last_seen]), '(no events in this window)')}\n\nproperty keys: ${r.property_keys.length ? r.property_keys.join(', ') : '(none)'}`);
  },
};
