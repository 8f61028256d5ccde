// E32 + Appendix A: serves tracker.js (minified, with its SHA-256) and tracker.src.js (readable, for audits).
// Both are bundled once per process from src/tracker/ with esbuild and then answered from memory; tracker.js
// also in the gzip (zopfli) and brotli encodings compressed at build time, chosen by Accept-Encoding.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { Asset, Encoding } from '../../tracker/assets.js';

const CACHE_CONTROL = 'public, max-age=3600, s-maxage=604800';

/** The coding to send: br, else gzip, when Accept-Encoding lists it without q=0; identity otherwise. */
export function pickEncoding(accept: string | undefined): Encoding {
  const offered = new Set<string>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    if (!params.some((p) => /^q=0(\.0*)?$/.test(p))) offered.add(name);
  }
  if (offered.has('br')) return 'br';
  if (offered.has('gzip') || offered.has('*')) return 'gzip';
  return 'identity';
}

const etagOf = (a: Asset, e: Encoding): string => `"${a.sha256}${e === 'identity' ? '' : '-' + e}"`;

function serve(a: Asset | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (!a) throw notFound('tracker.js is unavailable on this server (its build failed; see the server log)');
  const encoding = pickEncoding(request.headers['accept-encoding']);
  reply
    .header('Content-Type', 'application/javascript')
    .header('Cache-Control', CACHE_CONTROL)
    .header('Access-Control-Allow-Origin', '*')
    .header('Vary', 'Accept-Encoding')
    .header('X-Agent-Analytics-Tracker-Checksum-Algorithm', 'sha256')
    .header('X-Agent-Analytics-Tracker-SHA256', a.sha256)
    .header('ETag', etagOf(a, encoding));
  // Every coding carries the same script: a validator of any of them is still fresh.
  const match = request.headers['if-none-match'];
  if (match && (['identity', 'gzip', 'br'] as const).some((e) => match.includes(etagOf(a, e)))) return reply.code(304).send();
  if (encoding === 'identity') return reply.send(a.body);
  return reply.header('Content-Encoding', encoding).send(a.encoded[encoding]);
}

export async function trackerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // ctx.tracker is still building while the server starts; only requests for the script wait for it.
  const built = ctx.tracker;
  const schema = (summary: string) => ({ tags: ['tracker'], summary, response: { 200: { type: 'string', description: 'JavaScript' } } });

  app.get('/tracker.js', { config: { access: 'none' }, schema: schema('The browser tracker, minified (sha256 in X-Agent-Analytics-Tracker-SHA256)') },
    async (request, reply) => serve((await built)?.min, request, reply));
  app.get('/tracker.src.js', { config: { access: 'none' }, schema: schema('The browser tracker, readable source for auditing') },
    async (request, reply) => serve((await built)?.src, request, reply));
}
