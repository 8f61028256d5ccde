// An agent session approved the way a person does it: detached start, the approval form posted with the owner
// key from the server's own origin, poll, exchange. For tests that need a working aas_ token.
import type { FastifyInstance } from 'fastify';

const post = (app: FastifyInstance, url: string, body: unknown) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

/** Post the approval page's form for request `id` (decision approve/deny, optional key) as the browser would. */
export function postApproval(app: FastifyInstance, id: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST', url: `/agent-sessions/authorize/${id}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80', host: 'localhost:80', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** Start, approve with `key`, poll and exchange: the start answer, the poll answer and the exchange answer. */
export async function approvedSession(app: FastifyInstance, key: string, scopes?: string[]) {
  const started = (await post(app, '/agent-sessions/start', { mode: 'detached', client_type: 'agent', client_name: 'Test agent', ...(scopes ? { scopes } : {}) })).json();
  const approved = await postApproval(app, started.auth_request_id, { decision: 'approve', api_key: key });
  if (approved.statusCode !== 200) throw new Error(`approval failed: ${approved.statusCode} ${approved.body}`);
  const polled = (await post(app, '/agent-sessions/poll', { auth_request_id: started.auth_request_id, poll_token: started.poll_token })).json();
  const exchanged = await post(app, '/agent-sessions/exchange', { auth_request_id: started.auth_request_id, exchange_code: polled.exchange_code });
  if (exchanged.statusCode !== 200) throw new Error(`exchange failed: ${exchanged.statusCode} ${exchanged.body}`);
  return { started, polled, ...exchanged.json() };
}
