// Splitting the queue into requests (§3.3): ≤ 100 events each, ≤ 64 KB bodies, one event as a bare object.

/** Receives one request: path '/track' or '/track/batch' and its JSON body. */
export type Send = (path: string, body: string) => void;

/** sendBeacon's in-flight budget; a larger body is halved, a lone event above it is dropped. */
export const MAX_BODY = 65536;

/** Send `events` in order: chunks of 100, each halved recursively while its body is over MAX_BODY. */
export function chunk(events: object[], send: Send): void {
  const n = events.length;
  const body = JSON.stringify(n > 1 ? { events } : events[0]);
  const cut = n > 100 ? 100 : n >> 1;
  if (n > 100 || new Blob([body]).size > MAX_BODY) cut && (chunk(events.slice(0, cut), send), chunk(events.slice(cut), send));
  else if (n) send(n > 1 ? '/track/batch' : '/track', body);
}
