// CLI end-to-end harness: a real server on a free port and the real `agent-analytics` binary as a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const BIN = join(import.meta.dirname, '../../bin/agent-analytics.js');

export interface CliResult { code: number; stdout: string; stderr: string; json(): any }

export interface CliHarness {
  t: TestApp;
  url: string;
  /** Temp HOME / XDG_CONFIG_HOME of the child processes. */
  home: string;
  /** Run the CLI with AA_URL/AA_API_KEY set to the server and the owner key unless `env` overrides them. */
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  close(): Promise<void>;
}

/** A clean environment: nothing from the parent's AA_* variables leaks into the child. */
export function childEnv(home: string, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), NODE_NO_WARNINGS: '1' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

export async function startCliHarness(serverEnv: Record<string, string> = {}): Promise<CliHarness> {
  const t = await startTestApp(serverEnv);
  const url = await t.listen();
  const home = mkdtempSync(join(tmpdir(), 'aa-cli-home-'));
  return {
    t, url, home,
    cli: (args, env = {}) => runCli(args, childEnv(home, { AA_URL: url, AA_API_KEY: t.ownerKey, ...env })),
    async close() {
      await t.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
