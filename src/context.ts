// What every route module receives: configuration, the stores, and the long-lived services built on them
// (src/services.ts). Route modules register routes only; everything they use arrives here.
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { Services } from './services.js';
import type { Stores } from './stores.js';

export interface AppContext extends Services {
  config: Config;
  stores: Stores;
  /** Base URL for snippets: AA_PUBLIC_URL, else derived from the request. */
  publicUrl(request: FastifyRequest): string;
}
