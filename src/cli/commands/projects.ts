// `projects list|create|get|update|delete` (E18–E22).
import type { Project } from '../../client/api-types.js';
import { type Command, defined, opt, UsageError } from '../command.js';
import { flagLines, num, table } from '../output.js';

const USAGE = `agent-analytics projects list
agent-analytics projects create <name> [--origins "https://example.com,http://localhost:3000"]
agent-analytics projects get <id|name>
agent-analytics projects update <id|name> [--name <new name>] [--origins <origins>]
agent-analytics projects delete <id|name>`;

const row = (p: Project) => [p.name, p.id, num(p.total_events), num(p.total_reads), p.allowed_origins, p.created_at.slice(0, 10)];

export const projectsCommand: Command = {
  name: 'projects',
  summary: 'List, create, inspect, update and delete projects',
  usage: USAGE,
  options: { origins: { type: 'string' }, name: { type: 'string' } },
  async run(ctx, positionals, values) {
    const [sub, target] = positionals;
    const client = ctx.client();
    const need = () => {
      if (!target) throw new UsageError(`projects ${sub} needs a project id or name`);
      return target;
    };
    const print = (body: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(body, null, 2) : human);
    switch (sub) {
      case 'list':
      case undefined: {
        const res = await client.projects();
        const limit = res.project_limit === -1 ? 'unlimited' : String(res.project_limit);
        print(res, `${table(['NAME', 'ID', 'EVENTS', 'READS', 'ALLOWED ORIGINS', 'CREATED'], res.projects.map(row), 'No projects yet: create one with `agent-analytics projects create <name>`.')}\n\n${res.projects.length} of ${limit} projects (${res.tier} tier)${flagLines(res.flags)}`);
        return 0;
      }
      case 'create': {
        const name = need();
        const res = await client.createProject(defined({ name, allowed_origins: opt.str(values, 'origins') }));
        print(res, [
          res.existing ? `Project ${res.name} already exists (${res.id}); nothing changed.` : `Created project ${res.name} (${res.id}).`,
          `project token:   ${res.project_token}`,
          `allowed origins: ${res.allowed_origins}`,
          '',
          'Add this tag to every page:',
          `  ${res.snippet}`,
          '',
          'Query it:',
          `  ${res.api_example}`,
          `  agent-analytics stats --project ${res.name}`,
        ].join('\n'));
        return 0;
      }
      case 'get': {
        const p = await client.project(need());
        print(p, [
          `${p.name} (${p.id})`,
          `project token    ${p.project_token}`,
          `allowed origins  ${p.allowed_origins}`,
          `created          ${p.created_at}`,
          `events           ${num(p.total_events)} total, ${num(p.usage_today.events)} today (${p.usage_today.date})`,
          `reads            ${num(p.total_reads)} total, ${num(p.usage_today.reads)} today`,
        ].join('\n'));
        return 0;
      }
      case 'update': {
        const id = need();
        const body = defined({ name: opt.str(values, 'name'), allowed_origins: opt.str(values, 'origins') });
        if (Object.keys(body).length === 0) throw new UsageError('projects update needs --name and/or --origins');
        const p = await client.updateProject(id, body);
        print(p, `Updated ${p.name} (${p.id}): allowed origins ${p.allowed_origins}`);
        return 0;
      }
      case 'delete': {
        const res = await client.deleteProject(need());
        print(res, `Deleted project ${res.deleted}; its token stopped working and its data is no longer reachable.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "projects ${sub}"`);
    }
  },
};
