import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { parseRawHeaders } from './raw-headers.js';
import { ResponseTooLargeError } from './upstream-failure.js';

/** The headers to send back for an upstream's status and headers; throwing refuses the answer. @internal */
export type RelayHead = (status: number, headers: Record<string, string | string[]>) => Record<string, string | string[]>;

/**
 * Streams one upstream answer straight into the client's response, as an undici dispatch handler: no body
 * stream, promise or pipe of its own per request (the cheapest way through undici; `npm run bench -- proxy`).
 * A full client socket pauses the upstream one until it drains, and a body over `maxBytes` is cut.
 *
 * `done` settles when the exchange ends: rejected with the failure while nothing went to the client yet (the
 * caller answers a problem), resolved otherwise (a failure after the headers has cut the client's connection,
 * which is how HTTP says a body is incomplete). @internal
 */
export class RelayHandler implements Dispatcher.DispatchHandler {
  readonly done: Promise<void>;
  private settle!: () => void;
  private fail!: (error: Error) => void;
  private abortUpstream: ((error?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private left: number;
  private finished = false;
  private cancelled: Error | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly head: RelayHead,
    maxBytes: number,
  ) {
    this.left = maxBytes;
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }

  /** Ends the upstream exchange (the client went away, or its body failed): now, or as soon as it starts. */
  cancel(reason: Error): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = reason;
    this.abortUpstream?.(reason);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.cancelled) return abort(this.cancelled);
    this.abortUpstream = abort;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the gateway's own exchange with its client, not forwarded
    // A throw (the answer refused, say too large) makes undici abort the exchange with it: onError.
    this.res.writeHead(status, this.head(status, parseRawHeaders(raw)));
    this.resumeUpstream = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.left -= chunk.length;
    if (this.left < 0) throw new ResponseTooLargeError('response body over the limit');
    if (this.res.write(chunk)) return true;
    this.res.once('drain', () => this.resumeUpstream?.());
    return false;
  }

  onComplete(): void {
    this.finished = true;
    this.res.end();
    this.settle();
  }

  onError(error: Error): void {
    this.finished = true;
    if (!this.res.headersSent) return this.fail(this.cancelled ?? error);
    this.res.destroy();
    this.settle();
  }
}
