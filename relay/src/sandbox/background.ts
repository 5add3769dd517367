import type { Socket } from 'node:net';

/**
 * Work the sandbox does after answering (status callbacks, retries, held-open sockets), tracked so that closing
 * the relay stops all of it at once: no timer fires into a closed server and no hung socket keeps close() waiting.
 */
export class Background {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly controller = new AbortController();

  /** Aborted on close: pass it to every outgoing fetch. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  later(ms: number, fn: () => unknown): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined); // callers report their own failures; nothing may escape as an unhandled rejection
    }, ms);
    this.timers.add(t);
  }

  /** Keeps a request's socket open without answering, until the client gives up, `maxMs` passes, or close. */
  hold(socket: Socket, maxMs: number): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.later(maxMs, () => socket.destroy());
  }

  get heldSockets(): number {
    return this.sockets.size;
  }

  close(): void {
    this.controller.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
