// What every route module receives: configuration, the stores, and the long-lived services built on them.
import type { FastifyRequest } from 'fastify';
import type { ReadUsage } from './accounts/read-usage.js';
import type { Config } from './config.js';
import type { KeyCache } from './http/auth.js';
import type { Stores } from './store/create-stores.js';

export interface AppContext {
  config: Config;
  stores: Stores;
  keys: KeyCache;
  reads: ReadUsage;
  /** Base URL for snippets: AA_PUBLIC_URL, else derived from the request. */
  publicUrl(request: FastifyRequest): string;
  /** Called (in order) when the app closes, after the server stopped accepting requests. */
  onClose(fn: () => Promise<void>): void;
}
