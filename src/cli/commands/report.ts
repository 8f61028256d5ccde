// How a read command answers: the raw API body as JSON with --json, else the human rendering plus any flags.
import type { Flagged } from '../../client/api-types.js';
import type { CliContext } from '../context.js';
import { flagLines } from '../output.js';

export function answer<R extends Flagged>(ctx: CliContext, body: R, render: (body: R) => string): number {
  if (ctx.json) ctx.out(JSON.stringify(body, null, 2));
  else ctx.out(render(body) + flagLines(body.flags));
  return 0;
}
