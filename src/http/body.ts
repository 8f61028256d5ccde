// Request bodies: at most BODY_LIMIT bytes, and an empty body is no body, whatever the Content-Type. The official CLI sends
// `Content-Type: application/json` on every request, including bodiless DELETEs and POSTs.
import type { FastifyInstance } from 'fastify';

/** Request bodies above 1 MB are refused (contract §1.1: 413 INVALID_BODY). */
export const BODY_LIMIT = 1_048_576;

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parse(request, body as string, done);
  });
}
