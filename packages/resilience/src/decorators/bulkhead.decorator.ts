import { resilienceDecorator } from '../policies/method-dispatcher.js';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';

/** What `@Bulkhead()` accepts: options, or the name of a policy whose bulkhead is shared. */
export type BulkheadDecoratorArg = BulkheadOptions | string;

/**
 * Runs at most `limit` executions at once and lets at most `queue` calls wait; beyond that a call is rejected
 * at once with `BulkheadFullError`. A queued call whose signal aborts (timeout, unsubscription) frees its
 * place. Applied per app (see `ResilienceModule`).
 *
 * @example
 * @Bulkhead({ limit: 4, queue: 8 })
 * async render(doc: Doc) { ... }
 */
export const Bulkhead = (optionsOrName: BulkheadDecoratorArg = {} as BulkheadOptions): MethodDecorator =>
  resilienceDecorator(optionsOrName, 'Bulkhead');
