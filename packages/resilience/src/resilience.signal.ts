import { AsyncLocalStorage } from 'node:async_hooks';

/** @internal Holds the attempt's signal while a `@Timeout()` method (or an Observable attempt) runs. */
export const signalStorage = new AsyncLocalStorage<AbortSignal>();

/**
 * The `AbortSignal` of the current `@Timeout()` attempt, anywhere in the method's async call tree; it aborts at
 * the deadline (or when the caller cancels). `undefined` outside a `@Timeout()` method: only `@Timeout()` pays
 * for it.
 *
 * @example
 * @Timeout(1_000)
 * async quote(symbol: string) {
 *   const res = await fetch(`${this.base}/quotes/${symbol}`, { signal: currentSignal() });
 *   return res.json();
 * }
 */
export function currentSignal(): AbortSignal | undefined {
  return signalStorage.getStore();
}
