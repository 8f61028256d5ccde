// buildApp(deps): the only place Fastify is constructed. Tests and main.ts use it exactly alike.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { installAuth, publicBaseUrl } from './http/auth.js';
import { BODY_LIMIT, installJsonBody } from './http/body.js';
import { installCors } from './http/cors.js';
import { installErrorHandling } from './http/errors.js';
import { installHostGuard } from './http/host-guard.js';
import { type LogDestination, loggerOptions } from './http/logging.js';
import { installResponseCheck } from './http/response-check.js';
import { ROUTE_MODULES } from './http/routes/index.js';
import { createServices, type Services } from './services.js';
import type { Stores } from './stores.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface AppDeps {
  config: Config;
  stores: Stores;
  /** false for no logs; else JSON lines (credentials redacted), at config.logLevel unless a level is given. */
  logger?: false | Partial<LogDestination>;
  /** Validate every JSON response against its route's schema (tests, development). */
  checkResponses?: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, stores } = deps;
  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions({ level: config.logLevel, ...deps.logger }),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.countryHeader !== null,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Response schemas document the API; serialisation stays plain JSON so no field is ever dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const { services, close } = await createServices(config, stores, app.log);
  const ctx: AppContext = {
    ...services,
    config,
    stores,
    publicUrl: (request) => publicBaseUrl(config, request),
  };
  app.addHook('onClose', close);
  // For operators' tooling and tests; route modules get the same services through ctx.
  app.decorate('services', services);

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
  installJsonBody(app);
  installCors(app);
  if (deps.checkResponses) installResponseCheck(app);
  installHostGuard(app, config);
  installAuth(app, { config, meta: stores.meta, counters: stores.counters, keys: services.keys });
  for (const register of ROUTE_MODULES) await register(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
