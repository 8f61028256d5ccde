// One open Server-Sent Events response: framing, heartbeats, the idle close, and a bounded send queue.
// A consumer that falls more than maxQueueBytes behind is disconnected (not skipped), so what it did
// get is gap-free and its EventSource reconnects with Last-Event-ID to resume from the live buffer.
import type { ServerResponse } from 'node:http';

export type CloseReason = 'client' | 'idle' | 'slow' | 'shutdown' | 'error';

export interface SseOptions {
  heartbeatMs: number;
  /** Close after this long without a matching event (heartbeats do not count). */
  idleCloseMs: number;
  /** Bytes allowed to wait in the response before the connection is dropped. */
  maxQueueBytes: number;
}

/** One SSE frame; `data` must be a single line (JSON.stringify output is). */
export function sseFrame(event: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

export const HEARTBEAT_FRAME = ':heartbeat\n\n';

export class SseConnection {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly idle: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: SseOptions,
    private readonly onClose: (reason: CloseReason) => void,
  ) {
    this.heartbeat = setInterval(() => this.write(HEARTBEAT_FRAME), opts.heartbeatMs);
    this.idle = setTimeout(() => this.end('idle'), opts.idleCloseMs);
    res.on('close', () => this.finish('client'));
    res.on('error', () => this.finish('error'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send a frame; `matching` frames (events the client asked for) restart the idle clock. */
  send(frame: string, matching = false): void {
    if (this.closed) return;
    if (matching) this.idle.refresh();
    this.write(frame);
  }

  /** Close politely: whatever is queued is still delivered. */
  end(reason: CloseReason): void {
    if (this.closed) return;
    this.finish(reason);
    this.res.end();
  }

  private write(frame: string): void {
    if (this.closed) return;
    this.res.write(frame);
    if (this.res.writableLength > this.opts.maxQueueBytes) {
      // Slow consumer: free its queue now rather than let it grow with every event.
      this.finish('slow');
      this.res.destroy();
    }
  }

  private finish(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.idle);
    this.onClose(reason);
  }
}
