import { resilienceDecorator } from '../policies/method-dispatcher.js';
import type { FallbackHandler } from '../interfaces/fallback-options.interface.js';
import { FALLBACK_METADATA } from '../resilience.constants.js';

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
  resilienceDecorator(FALLBACK_METADATA, { handler: valueOrFunction } satisfies FallbackMetadata, 'Fallback');
