// buildApp(deps): the only place Fastify is constructed. Tests and main.ts use it exactly alike.
// The server's request listener first offers each request to the lean ingest listener (POST /track,
// /track/batch and their preflight, http/lean-ingest.ts) and hands the rest to Fastify; app.inject() takes
// the same way, so tests reach the ingest routes exactly as clients do.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import lightMyRequest from 'light-my-request';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { installAuth, publicBaseUrl } from './http/auth.js';
import { BODY_LIMIT, installJsonBody } from './http/body.js';
import { installCors } from './http/cors.js';
import { installErrorHandling } from './http/errors.js';
import { installHostGuard } from './http/host-guard.js';
import { leanIngest, leanRoute } from './http/lean-ingest.js';
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
  const trustProxy = config.countryHeader !== null;
  // Set once the services exist; until then (and once the app is closing) every request goes to Fastify.
  let lean: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  const listener = (fastify: (req: IncomingMessage, res: ServerResponse) => void) => (req: IncomingMessage, res: ServerResponse) => {
    if (lean === null || !lean(req, res)) fastify(req, res);
  };
  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions({ level: config.logLevel, ...deps.logger }),
    bodyLimit: BODY_LIMIT,
    trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
    // Fastify's own HTTP/1 server, with the lean listener in front (the same settings Fastify applies).
    serverFactory: (handler, fastifyOptions) => {
      const options = fastifyOptions as { http?: object; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
      const server = createServer(options.http ?? {}, listener(handler as never));
      server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
      server.requestTimeout = options.requestTimeout ?? 0;
      server.setTimeout(options.connectionTimeout ?? 0);
      if ((options.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket!;
      return server;
    },
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
  lean = leanIngest(ctx, { log: app.log, genReqId: (app as unknown as { genReqId: (req: IncomingMessage) => string }).genReqId, trustProxy });
  // A closing app answers 503 through Fastify's drain path, for these routes too.
  app.addHook('preClose', async () => {
    lean = null;
  });
  const injectFastify = app.inject.bind(app);
  const front = listener((req, res) => app.routing(req, res));
  app.inject = ((opts?: InjectOptions | string, cb?: never) => {
    if (typeof opts !== 'object' || lean === null || !leanRoute(opts.method, typeof (opts.url ?? opts.path) === 'string' ? String(opts.url ?? opts.path) : undefined)) return injectFastify(opts as never, cb as never);
    const done = app.ready().then(() => lightMyRequest(front, opts));
    if (!cb) return done;
    done.then((res) => (cb as (e: unknown, r?: unknown) => void)(null, res), (err) => (cb as (e: unknown) => void)(err));
  }) as typeof app.inject;
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
