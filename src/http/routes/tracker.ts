// E32 + Appendix A: serves tracker.js (minified, with its SHA-256) and tracker.src.js (readable, for audits).
// Both are bundled once per process from src/tracker/ with esbuild and then answered from memory.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { buildTracker } from '../../tracker/build.js';

interface Asset {
  body: string;
  sha256: string;
  etag: string;
}

const CACHE_CONTROL = 'public, max-age=3600, s-maxage=604800';

// One build per process: every buildApp (tests build many) shares it, and the sources never change at run time.
let assets: Promise<{ min: Asset; src: Asset } | null> | null = null;

function asset(body: string): Asset {
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { body, sha256, etag: `"${sha256}"` };
}

function loadAssets(log: (err: unknown) => void): Promise<{ min: Asset; src: Asset } | null> {
  assets ??= buildTracker().then(
    (b) => ({ min: asset(b.minified), src: asset(b.source) }),
    (err) => {
      // A broken tracker must not stop the API: the script answers 404 ("asset unavailable", E32) until a fixed restart.
      log(err);
      assets = null;
      return null;
    },
  );
  return assets;
}

function serve(a: Asset | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (!a) throw notFound('tracker.js is unavailable on this server (its build failed; see the server log)');
  reply
    .header('Content-Type', 'application/javascript')
    .header('Cache-Control', CACHE_CONTROL)
    .header('Access-Control-Allow-Origin', '*')
    .header('X-Agent-Analytics-Tracker-Checksum-Algorithm', 'sha256')
    .header('X-Agent-Analytics-Tracker-SHA256', a.sha256)
    .header('ETag', a.etag);
  if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
  return reply.send(a.body);
}

export async function trackerRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  const built = await loadAssets((err) => app.log.error({ err }, 'tracker build failed; /tracker.js will answer 404'));
  const schema = (summary: string) => ({ tags: ['tracker'], summary, response: { 200: { type: 'string', description: 'JavaScript' } } });

  app.get('/tracker.js', { config: { access: 'none' }, schema: schema('The browser tracker, minified (sha256 in X-Agent-Analytics-Tracker-SHA256)') },
    async (request, reply) => serve(built?.min, request, reply));
  app.get('/tracker.src.js', { config: { access: 'none' }, schema: schema('The browser tracker, readable source for auditing') },
    async (request, reply) => serve(built?.src, request, reply));
}
