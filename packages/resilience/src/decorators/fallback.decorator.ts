import { resilienceDecorator } from '../policies/method-dispatcher.js';

/**
 * What `@Fallback()` returns instead of an error: a value, or a function called with the error and the
 * call's arguments (`this` is the instance). A function result may be a Promise or, on an Observable method,
 * an Observable. To fall back to a function value, return it from a factory: `@Fallback(() => myFn)`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FallbackHandler<T = unknown> = T | ((error: unknown, ...args: any[]) => unknown);

/** @internal What `@Fallback()` stores (boxed so `undefined` is a valid fallback value). */
export interface FallbackMetadata {
  readonly handler: FallbackHandler;
}

/**
 * Returns a value instead of any error, open-circuit, bulkhead and timeout errors included (it is the
 * outermost policy). A function is called with the error and the call's arguments, `this` being the instance;
 * it may rethrow. Applied per app (see `ResilienceModule`).
 *
 * @example
 * @Fallback([])
 * async recommendations(userId: string) { ... }
 *
 * @Fallback((error: unknown, id: string) => ({ id, status: 'unknown' }))
 * async status(id: string) { ... }
 */
export const Fallback = <T>(valueOrFunction: FallbackHandler<T>): MethodDecorator =>
  resilienceDecorator({ handler: valueOrFunction } satisfies FallbackMetadata, 'Fallback');
