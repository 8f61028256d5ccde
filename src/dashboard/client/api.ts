// Every byte of data comes from the public HTTP API on this origin; the browser sends the HttpOnly session
// cookie (credentials: 'same-origin'), never a key: no key is ever kept in JS-readable storage.

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter: number | null) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();
/** Called whenever the API answers 401 to a cookie request: the session expired or was ended elsewhere. */
export function onSignedOut(fn: Listener): () => void {
  signedOutListeners.add(fn);
  return () => signedOutListeners.delete(fn);
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; quiet401?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'The server could not be reached. Check your connection and retry.', null);
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const retry = res.headers.get('retry-after');
    // The API's error body (docs/contract.md): { error: CODE, message }; anything else falls back below.
    const body = data as { error?: string; message?: string } | null;
    const failure = new ApiFailure(res.status, body?.error ?? 'HTTP_' + res.status, body?.message ?? `The server answered ${res.status}.`, retry ? Number(retry) : null);
    if (res.status === 401 && !init.quiet401) for (const fn of signedOutListeners) fn();
    throw failure;
  }
  return data as T;
}

/** Query string from defined values, in the given order. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}
