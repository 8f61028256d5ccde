// buildApp(deps): the only place Fastify is constructed. Tests and main.ts use it exactly alike.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ReadUsage } from './accounts/read-usage.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { installAuth, KeyCache } from './http/auth.js';
import { installCors } from './http/cors.js';
import { installErrorHandling } from './http/errors.js';
import { installHostGuard } from './http/host-guard.js';
import { ROUTE_MODULES } from './http/routes/index.js';
import type { Stores } from './store/create-stores.js';

export interface AppDeps {
  config: Config;
  stores: Stores;
  /** Pino options or false; defaults to JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
}

export const BODY_LIMIT = 1_048_576;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, stores } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.countryHeader !== null,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Response schemas document the API; serialisation stays plain JSON so no field is ever dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const closers: (() => Promise<void>)[] = [];
  const keys = new KeyCache(stores.meta, stores.counters);
  const reads = new ReadUsage(stores.meta);
  const ctx: AppContext = {
    config,
    stores,
    keys,
    reads,
    publicUrl: (request) => config.publicUrl ?? `${request.protocol}://${request.headers.host ?? `localhost:${config.port}`}`,
    onClose: (fn) => void closers.push(fn),
  };

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Agent Analytics API', version: '1.0.0', description: 'Self-hosted, agent-first web analytics. Authenticate reads with X-API-Key, Authorization: Bearer or ?key=.' },
      components: {
        securitySchemes: {
          ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          ApiKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
          Bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  installErrorHandling(app);
  installCors(app);
  installHostGuard(app, config);
  installAuth(app, { config, meta: stores.meta, counters: stores.counters, keys });
  for (const register of ROUTE_MODULES) await register(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onClose', async () => {
    for (const fn of closers) await fn();
    await reads.close();
  });
  return app;
}
