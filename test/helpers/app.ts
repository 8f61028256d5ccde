// A real app on real storage in a temp folder: DuckDB + SQLite files, exactly as production builds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { bootstrapOwner, createAccount } from '../../src/accounts/accounts.js';
import { type AppDeps, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { closeStores, createStores, type Stores } from '../../src/stores.js';

export const OWNER_KEY = `aak_${'0'.repeat(47)}1`;

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  stores: Stores;
  dir: string;
  ownerKey: string;
  /** Create another account (free by default) and return its key. */
  newAccount(tier?: 'free' | 'pro', email?: string): Promise<string>;
  /** One request as `key` (null: none), the payload sent as JSON when given. */
  request(method: string, url: string, payload?: unknown, key?: string | null): Promise<{ statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string; json(): any }>;
  /** Create a project as `key` and return the 201 body. */
  newProject(key: string, name: string, allowed_origins?: string): Promise<{ id: string; name: string; project_token: string }>;
  /** Listen on a free loopback port (for real HTTP clients and browsers) and return the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, opts: { dir?: string; logger?: AppDeps['logger'] } = {}): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'aa-test-'));
  const config = loadConfig({ AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: OWNER_KEY, AA_LOG_LEVEL: 'silent', AA_PURGE_INTERVAL_MS: '0', ...env });
  const stores = await createStores(config);
  await bootstrapOwner(config, stores.meta);
  const app = await buildApp({ config, stores, logger: opts.logger ?? false, checkResponses: true });
  await app.ready();
  return {
    app, config, stores, dir, ownerKey: OWNER_KEY,
    async newAccount(tier = 'free', email = `u${Math.random().toString(36).slice(2)}@example.test`) {
      const { apiKey } = await createAccount(stores.meta, { email, tier });
      return apiKey;
    },
    request(method, url, payload, key = OWNER_KEY) {
      return app.inject({
        method: method as 'GET', url,
        headers: { ...(key ? { 'x-api-key': key } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
      });
    },
    async newProject(key, name, allowed_origins) {
      const res = await app.inject({ method: 'POST', url: '/projects', headers: { 'x-api-key': key }, payload: { name, ...(allowed_origins ? { allowed_origins } : {}) } });
      if (res.statusCode !== 201) throw new Error(`project create failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    },
    async close() {
      await app.close();
      await closeStores(stores);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
