// A minimal SSE client over node:http for the stream tests: parses frames as they arrive on a real connection.
import http from 'node:http';

export interface Frame {
  /** 'comment' for `:…` lines, else the `event:` name ('message' when absent). */
  type: string;
  id?: string;
  data?: string;
  comment?: string;
  at: number; // performance.now() when the frame was complete
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body text of a non-200 answer. */
  body: string;
  frames: Frame[];
  /** Resolves with the next frame (after those already consumed by next) matching `pred`. */
  next(pred?: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves when the server ends or drops the connection. */
  closed: Promise<void>;
  close(): void;
  req: http.ClientRequest;
  res: http.IncomingMessage;
}

function parseFrame(block: string): Omit<Frame, 'at'> {
  const f: Omit<Frame, 'at'> = { type: 'message' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { type: 'comment', comment: line.slice(1) };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') f.type = value;
    else if (field === 'id') f.id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length) f.data = data.join('\n');
  return f;
}

export function openStream(base: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      let buf = '';
      let cursor = 0;
      let ended = false;
      let wake: (() => void) | null = null;
      let endResolve!: () => void;
      const closed = new Promise<void>((r) => (endResolve = r));
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: '',
        frames: [],
        closed,
        req,
        res,
        close: () => req.destroy(),
        next(pred = () => true, timeoutMs = 2000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => {
              wake = null;
              fail(new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(client.frames.map((f) => f.type))}`));
            }, timeoutMs);
            const check = () => {
              while (cursor < client.frames.length) {
                const f = client.frames[cursor++];
                if (pred(f)) { wake = null; clearTimeout(timer); return ok(f); }
              }
              if (ended) { wake = null; clearTimeout(timer); return fail(new Error('stream ended before a matching frame')); }
              wake = check;
            };
            check();
          });
        },
      };
      const onEnd = () => {
        if (ended) return;
        ended = true;
        endResolve();
        wake?.();
      };
      res.on('data', (chunk: string) => {
        if (client.status !== 200) { client.body += chunk; return; }
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          client.frames.push({ ...parseFrame(buf.slice(0, i)), at: performance.now() });
          buf = buf.slice(i + 2);
        }
        wake?.();
      });
      res.on('end', onEnd);
      res.on('close', onEnd);
      res.on('error', onEnd);
      if (client.status !== 200) res.on('end', () => resolve(client));
      else resolve(client);
    });
    req.on('error', reject);
  });
}
