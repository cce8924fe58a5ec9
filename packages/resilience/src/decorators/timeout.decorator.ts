import { resilienceDecorator } from '../policies/method-dispatcher.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';

/** What `@Timeout()` accepts: milliseconds, options, or the name of a policy whose `timeout` section applies. */
export type TimeoutDecoratorArg = number | TimeoutOptions | string;

/**
 * Gives each attempt a deadline. At the deadline the caller gets `ResilienceTimeoutError` whether or not the
 * method listens, and the method's `AbortSignal` is aborted. The method reads that signal with
 * `currentSignal()`, or receives it as an argument with `signalArg`. Applied per app (see `ResilienceModule`).
 *
 * @example
 * @Timeout(2_000)
 * async report() { await fetch(url, { signal: currentSignal() }); }
 *
 * @Timeout({ ms: 2_000, signalArg: 1 })
 * async find(id: string, signal?: AbortSignal) { ... }
 */
export const Timeout = (msOrOptions: TimeoutDecoratorArg = {} as TimeoutOptions): MethodDecorator =>
  resilienceDecorator(msOrOptions, 'Timeout');
