// Endpoints the official CLI calls that belong to the hosted Agent Analytics product, not to this server:
// website scans (an instrumentation-recommendation service) and demo sessions (seeded read-only demo data).
// Each answers 404 NOT_FOUND with a message that says so, whatever the body or credentials, instead of the
// bare "not found" of an unknown route. Kept out of /openapi.json: the reference lists what this server offers.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';

const SCANS = 'website scans (instrumentation recommendations for a site) are a service of the hosted Agent Analytics product; '
  + 'a self-hosted server does not offer them. Decide what to track from your own events: GET /properties lists what arrives, POST /funnel and POST /paths show where users go';
const DEMO = 'demo sessions (seeded read-only demo data) are a service of the hosted Agent Analytics product; a self-hosted server '
  + 'has no demo account: use your own API key (agent-analytics login) against your own projects';

const ROUTES: { method: 'GET' | 'POST'; url: string; message: string }[] = [
  { method: 'POST', url: '/website-scans', message: SCANS },
  { method: 'GET', url: '/website-scans/:id', message: SCANS },
  { method: 'POST', url: '/website-scans/:id/upgrade', message: SCANS },
  { method: 'POST', url: '/cli/website-scans', message: SCANS },
  { method: 'POST', url: '/demo/session', message: DEMO },
];

export async function hostedOnlyRoutes(app: FastifyInstance): Promise<void> {
  // Its own scope: any body is accepted unparsed, so a malformed one still gets the explanation.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
    for (const r of ROUTES) {
      scope.route({
        method: r.method, url: r.url, config: { access: 'none' }, schema: { hide: true },
        handler: async () => {
          throw notFound(r.message);
        },
      });
    }
  });
}
