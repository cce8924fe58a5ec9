import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/** What an exchange under way is ended with: an `AbortTarget` (before the call answered), a `ResponseSink`. @internal */
export interface Abortable {
  abort(reason: Error): void;
}

/** The reason an exchange ends when its client went away. @internal */
export function clientWentAway(): Error {
  return new Error('the client went away');
}

/**
 * Aborts `exchange` and destroys `body` with one {@link clientWentAway} reason when the client goes away (its
 * response closed before it was finished), at once if it already went (during admission: nothing is sent upstream).
 * One listener on `res`, none when there is nothing to end. @internal
 */
export function endWhenClientGoes(res: ServerResponse, exchange: Abortable | undefined, body: Readable | undefined): void {
  if (!exchange && !body) return;
  const end = () => {
    if (res.writableFinished) return;
    const gone = clientWentAway();
    exchange?.abort(gone);
    body?.destroy(gone);
  };
  if (res.closed) return end();
  // `on`, not `once` ('close' comes once): no wrapper per request.
  res.on('close', end);
}
