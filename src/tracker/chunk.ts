// Splitting the queue into requests (§3.3): ≤ 100 events each, ≤ 64 KB bodies, one event as a bare object.

export interface Request {
  path: '/track' | '/track/batch';
  body: string;
}

/** sendBeacon's in-flight budget; larger bodies are halved, a lone event above it is dropped. */
export const MAX_BODY = 65536;

/** Requests for `events`, in order. */
export function chunk(events: object[], out: Request[] = []): Request[] {
  for (let i = 0; i < events.length; i += 100) split(events.slice(i, i + 100), out);
  return out;
}

function split(events: object[], out: Request[]): void {
  const one = events.length < 2;
  const body = JSON.stringify(one ? events[0] : { events });
  const half = events.length >> 1;
  if (new Blob([body]).size <= MAX_BODY) out.push({ path: one ? '/track' : '/track/batch', body });
  else if (!one) split(events.slice(0, half), out), split(events.slice(half), out);
}
