// A real app listening on a random local port, for tests that need real HTTP connections (SSE).
import { type TestApp, startTestApp } from '../helpers/app.js';
import type { LiveEvent } from '../../src/store/ports.js';
import { openStream, type SseClient } from './sse-client.js';

export interface LiveApp extends TestApp {
  base: string;
  /** Open /stream as `key` (header), with extra query and headers. */
  stream(query?: string, headers?: Record<string, string>, key?: string): Promise<SseClient>;
  /** Retry opening a stream until it is accepted (a slot was freed), or fail after `ms`. */
  streamWhenFree(query: string, ms?: number): Promise<SseClient>;
}

export async function startLiveApp(env: Record<string, string> = {}): Promise<LiveApp> {
  const t = await startTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const live: LiveApp = Object.assign(t, {
    base,
    stream: (query = '', headers: Record<string, string> = {}, key = t.ownerKey) =>
      openStream(base, `/stream${query ? `?${query}` : ''}`, { 'x-api-key': key, ...headers }),
    async streamWhenFree(query: string, ms = 3000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const s = await live.stream(query);
        if (s.status === 200) return s;
        if (Date.now() > deadline) throw new Error(`stream still refused after ${ms} ms: ${s.status} ${s.body}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  });
  return live;
}

let n = 0;
/** A committed event as the writer would publish it (ids increase like ULIDs). */
export function liveEvent(projectId: string, over: Partial<LiveEvent> = {}): LiveEvent {
  n++;
  return {
    id: `01JNB6W9X3Q5R7T9V1X${String(n).padStart(7, '0')}`, project_id: projectId, event: 'page_view',
    properties: { path: '/' }, user_id: 'anon_a1', session_id: 'sess_s1', timestamp: Date.now(), country: 'US', ...over,
  };
}
