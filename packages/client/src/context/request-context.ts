import { AsyncLocalStorage } from 'node:async_hooks';

/** What outgoing calls inherit from the request being handled. */
export interface PropagatedContext {
  /** Headers copied onto every outgoing call (lower-case names), e.g. `x-request-id`, `traceparent`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The incoming deadline (`performance.now()` time) when the caller sent `x-nestmesh-deadline-ms`. */
  readonly deadlineAt?: number;
}

/** @internal The context of the request being handled, if any (`getStore()`). */
export const propagatedContext = new AsyncLocalStorage<PropagatedContext>();

/**
 * Runs `fn` so that every `ServiceClient` call made inside it (in its whole async call tree) carries
 * `context.headers` and honours `context.deadlineAt`. The module's interceptor does this for each incoming
 * HTTP request; call it yourself elsewhere (a message handler, a job).
 *
 * @example
 * await runWithPropagatedContext({ headers: { 'x-request-id': job.id } }, () => orders.get('/orders'));
 */
export function runWithPropagatedContext<T>(context: PropagatedContext, fn: () => T): T {
  return propagatedContext.run(context, fn);
}
