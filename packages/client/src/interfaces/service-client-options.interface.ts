import type { BulkheadOptions, CircuitBreakerOptions, RetryOptions } from '@nestmesh/resilience';
import type { LoadBalancingStrategy } from '../strategies/load-balancing-strategy.interface.js';
import type { OutlierDetectionOptions } from './outlier-detection-options.interface.js';
import type { PoolOptions } from './pool-options.interface.js';
import type { RetryBudgetOptions } from './retry-budget-options.interface.js';

/** The built-in load-balancing strategies. */
export type LoadBalancingStrategyName = 'round-robin' | 'random' | 'weighted' | 'least-request' | 'p2c-ewma' | 'consistent-hash';

/** The `strategy` option: a built-in name, a strategy object, or a function making one per balancer. */
export type StrategyOption = LoadBalancingStrategyName | LoadBalancingStrategy | (() => LoadBalancingStrategy);

/**
 * Options of one service's client (`services.<name>` of `ServiceClientModule.register()`); `defaults` apply
 * underneath. Resilience options have the shapes of `@nestmesh/resilience`, and are built by that package.
 *
 * @example
 * orders: { strategy: 'consistent-hash', deadline: 3_000, timeout: { ms: 1_000 }, retry: { maxAttempts: 2 } }
 */
export interface ServiceClientOptions {
  /** Name of the service in discovery. Default: the key under `services`. */
  serviceName?: string;
  /** Only instances carrying every one of these tags. Default: no tag filter. */
  tags?: string[];
  /**
   * A static upstream instead of discovery: `http://host:port` or `https://host:port` (no path, query or
   * credentials). The client then calls this one endpoint, with everything else as for a discovered service
   * (pool, deadline, timeout, retries within the budget, breaker, outlier ejection: when it is ejected, panic
   * mode still sends to it), and needs no `ServiceDiscoveryModule`. `serviceName` and `tags` do not apply.
   * Default: none (discovery).
   *
   * @example
   * legacy: { origin: 'https://legacy.internal:8443', retry: { maxAttempts: 2 } }
   */
  origin?: string;
  /**
   * How an instance is picked: a built-in name, your own {@link LoadBalancingStrategy} object, or a function
   * returning one, called for each balancer (each service, and its HTTP and TCP clients apart): pass a function
   * for a stateful strategy, which an object would share between them. Default `'p2c-ewma'`.
   */
  strategy?: StrategyOption;
  /**
   * Overall deadline of a call in ms, covering every attempt and backoff; the time left is sent downstream in
   * the `x-nestmesh-deadline-ms` header. A request's `timeout` replaces it for that call. Without `timeout.ms`, it
   * is also the longest silence in an answer's body (the body then errors with undici's `BodyTimeoutError`).
   * At most 2147483647 (Node's largest timer). Default `10000`.
   */
  deadline?: number;
  /**
   * Timeout of each attempt, on the client's own timer (exact to the millisecond): `ms` bounds the wait for the
   * response headers (from the moment the attempt starts, waiting for a free pool connection included), then each
   * silence of the upstream between two body chunks (time the reader leaves the body unread does not count).
   * An attempt that hits it is retried like a reset; the last one rejects with `ServiceTimeoutError`, or its
   * body errors with undici's `BodyTimeoutError`. Default: none (only `deadline`).
   */
  timeout?: { ms: number };
  /**
   * Retries (`@nestmesh/resilience` shape). Only idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE), requests
   * with an `Idempotency-Key` header, and requests whose connection failed before sending are retried, on another
   * instance (the same one only when the service has no other), within the retry budget and the deadline. An
   * answer's `Retry-After` holds that instance only: the retry goes elsewhere after the backoff alone.
   * Default `{ maxAttempts: 3, backoff: { initialDelay: 25, maxDelay: 1000 } }`; `false` for no retries.
   */
  retry?: RetryOptions | false;
  /** A circuit breaker for the whole service (`@nestmesh/resilience` shape). Default: none. */
  circuitBreaker?: CircuitBreakerOptions;
  /** A bulkhead for the whole service (`@nestmesh/resilience` shape). Default: none. */
  bulkhead?: BulkheadOptions;
  /** Name of a policy of `ResilienceModule.forRoot({ policies })` to use for this service. Default: none. */
  policy?: string;
  /** The retry budget; `false` for none (not advised). Defaults on {@link RetryBudgetOptions}. */
  retryBudget?: RetryBudgetOptions | false;
  /** Passive health; `false` to never eject. Defaults on {@link OutlierDetectionOptions}. */
  outlierDetection?: OutlierDetectionOptions | false;
  /** The undici pool of each instance. Defaults on {@link PoolOptions}. */
  pool?: PoolOptions;
  /** Headers sent with every request (a request's own headers win). Default none. */
  headers?: Record<string, string>;
  /**
   * The longest TCP reply (`ServiceClientProxy`) read from an instance, in characters of the frame Nest's TCP
   * transport sends (the value's JSON, the message id and a few flags). A longer one is cut as it arrives: its
   * connection is closed and the messages awaiting a reply on it fail with `ReplyTooLargeError`.
   * Default `134217728` (Nest's own: 128 Mi characters).
   */
  maxReplySize?: number;
}
