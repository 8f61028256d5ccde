// Request bodies: an empty body is no body, whatever the Content-Type. The official CLI sends
// `Content-Type: application/json` on every request, including bodiless DELETEs and POSTs.
import type { FastifyInstance } from 'fastify';

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parse(request, body as string, done);
  });
}
