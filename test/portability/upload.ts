// Upload a file to POST /import as the owner (or `key`) and wait for its job to finish.
import type { TestApp } from '../helpers/app.js';

export async function upload(app: TestApp, query: string, body: Buffer | string, key = app.ownerKey) {
  const res = await app.app.inject({ method: 'POST', url: `/import?${query}`, headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' }, payload: body });
  if (res.statusCode !== 202) return { res, job: null };
  await app.app.services.imports.idle();
  const job = (await app.request('GET', `/import/${res.json().job.id}`, undefined, key)).json().job;
  return { res, job };
}
