// The shape of a CLI command module and the option parsing every command shares (node:util parseArgs).
import { parseArgs } from 'node:util';
import type { CliContext } from './context.js';

export type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage lines shown by `agent-analytics <command> --help` and on usage errors. */
  usage: string;
  options?: Record<string, OptionSpec>;
  run(ctx: CliContext, positionals: string[], values: Values): Promise<number>;
}

/** A command-line mistake: exit 64 with the message and the command's usage. */
export class UsageError extends Error {}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function parseCommandArgs(command: Command, argv: string[]): { positionals: string[]; values: Values } {
  try {
    const { positionals, values } = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    return { positionals, values: values as Values };
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** Typed accessors for option values, with usage errors that name the flag. */
export const opt = {
  str(values: Values, name: string): string | undefined {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  },
  required(values: Values, name: string, hint = ''): string {
    const v = values[name];
    if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required${hint ? ` (${hint})` : ''}`);
    return v;
  },
  int(values: Values, name: string): number | undefined {
    const v = values[name];
    if (typeof v !== 'string') return undefined;
    if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be an integer, got "${v}"`);
    return Number(v);
  },
  num(values: Values, name: string): number | undefined {
    const v = values[name];
    if (typeof v !== 'string') return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
    return n;
  },
  list(values: Values, name: string): string[] | undefined {
    const v = values[name];
    if (typeof v !== 'string') return undefined;
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  },
  json(values: Values, name: string): unknown {
    const v = values[name];
    if (typeof v !== 'string') return undefined;
    try {
      return JSON.parse(v);
    } catch {
      throw new UsageError(`--${name} must be JSON, e.g. --${name} '{"plan":"pro"}'`);
    }
  },
  bool(values: Values, name: string): boolean {
    return values[name] === true;
  },
};

/** Only the keys that have a value, so flags left out never override a --body field. */
export const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** --project/-p, required by every project-scoped read. */
export const PROJECT_OPTION: Record<string, OptionSpec> = { project: { type: 'string', short: 'p' } };
export const projectOf = (values: Values): string => opt.required(values, 'project', 'the project name; list them with `agent-analytics projects list`');
