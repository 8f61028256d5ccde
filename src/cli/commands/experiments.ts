// `experiments list|create|get|pause|resume|complete|delete` (E26–E30).
import type { Experiment, ExperimentDetail } from '../../client/api-types.js';
import { type Command, opt, UsageError } from '../command.js';
import { flagLines, num, pct, table } from '../output.js';

const USAGE = `agent-analytics experiments list --project <name>
agent-analytics experiments create --project <name> --name signup_cta --variants control,new_cta --goal signup [--weights 50,50]
agent-analytics experiments get <id>
agent-analytics experiments pause|resume <id>
agent-analytics experiments complete <id> [--winner <variant>]
agent-analytics experiments delete <id>`;

const variants = (e: Experiment) => e.variants.map((x) => `${x.key} ${x.weight}%`).join(', ');

function detail(e: ExperimentDetail): string {
  const r = e.results;
  return [
    `${e.name} (${e.id}) — ${e.status}${e.winner ? `, winner ${e.winner}` : ''}`,
    `goal event ${e.goal_event}; variants ${variants(e)}; created ${e.created_at}`,
    '',
    table(['VARIANT', 'EXPOSURES', 'USERS', 'CONVERSIONS', 'RATE', 'P(BEST)', 'LIFT'],
      r.variants.map((v) => [v.key, num(v.exposures), num(v.unique_users), num(v.conversions), pct(v.conversion_rate), pct(r.probability_best[v.key] ?? 0), `${Math.round((r.lift[v.key] ?? 0) * 100)}%`])),
    '',
    r.recommendation,
  ].join('\n');
}

export const experimentsCommand: Command = {
  name: 'experiments',
  summary: 'A/B experiments: list, create, results (which variant wins), pause, resume, complete, delete',
  usage: USAGE,
  options: { project: { type: 'string', short: 'p' }, name: { type: 'string' }, variants: { type: 'string' }, goal: { type: 'string' }, weights: { type: 'string' }, winner: { type: 'string' } },
  async run(ctx, positionals, values) {
    const [sub, id] = positionals;
    const client = ctx.client();
    const need = () => {
      if (!id) throw new UsageError(`experiments ${sub} needs an experiment id (see \`agent-analytics experiments list --project <name>\`)`);
      return id;
    };
    const print = (body: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(body, null, 2) : human);
    switch (sub) {
      case 'list': {
        const res = await client.experiments({ project: opt.required(values, 'project', 'the project name') });
        print(res, table(['ID', 'NAME', 'STATUS', 'GOAL', 'VARIANTS', 'WINNER', 'CREATED'], res.experiments.map((e) => [e.id, e.name, e.status, e.goal_event, variants(e), e.winner, e.created_at.slice(0, 10)]), 'No experiments in this project: create one with `agent-analytics experiments create …`.'));
        return 0;
      }
      case 'create': {
        const weights = opt.list(values, 'weights')?.map((w) => {
          if (!/^\d+$/.test(w)) throw new UsageError(`--weights must be integers summing to 100, got "${w}"`);
          return Number(w);
        });
        const e = await client.createExperiment({
          project: opt.required(values, 'project', 'the project name'), name: opt.required(values, 'name', 'the experiment key used by aa.experiment(name)'),
          variants: opt.list(values, 'variants') ?? (() => { throw new UsageError('--variants is required, e.g. --variants control,new_cta'); })(),
          goal_event: opt.required(values, 'goal', 'the conversion event name, e.g. signup'), ...(weights ? { weights } : {}),
        });
        print(e, `Created experiment ${e.name} (${e.id}): ${variants(e)}, goal ${e.goal_event}.\nIn the page: const v = aa.experiment('${e.name}'); — track '${e.goal_event}' on conversion; check results with \`agent-analytics experiments get ${e.id}\`.`);
        return 0;
      }
      case 'get': {
        const e = await client.experiment(need());
        print(e, detail(e) + flagLines(e.flags));
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'complete': {
        const status = sub === 'pause' ? 'paused' : sub === 'resume' ? 'active' : 'completed';
        const e = await client.updateExperiment(need(), { status, ...(sub === 'complete' && opt.str(values, 'winner') ? { winner: opt.str(values, 'winner') } : {}) });
        print(e, `Experiment ${e.name} is now ${e.status}${e.winner ? ` (winner ${e.winner})` : ''}.`);
        return 0;
      }
      case 'delete': {
        const res = await client.deleteExperiment(need());
        print(res, `Deleted experiment ${res.deleted}; its events are kept.`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "experiments ${sub}"` : 'experiments needs a subcommand');
    }
  },
};
