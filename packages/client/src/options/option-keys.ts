import type { UnknownKey } from '@nestmesh/common';
import { findUnknownKey, optionKeys } from '@nestmesh/common';
import type { BulkheadOptions, CircuitBreakerOptions, HalfOpenBackoffOptions, RetryBackoffOptions, RetryOptions } from '@nestmesh/resilience';
import { messages } from '../errors/messages.constants.js';
import { ServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import type { OutlierDetectionOptions } from '../interfaces/outlier-detection-options.interface.js';
import type { PoolOptions } from '../interfaces/pool-options.interface.js';
import type { RetryBudgetOptions } from '../interfaces/retry-budget-options.interface.js';
import type { ServiceClientModuleOptions } from '../interfaces/service-client-module-options.interface.js';
import type { ServiceClientOptions } from '../interfaces/service-client-options.interface.js';

const MODULE_KEYS = optionKeys<ServiceClientModuleOptions>()({ services: true, defaults: true, propagateHeaders: true, maxServices: true });
const SERVICE_KEYS = optionKeys<ServiceClientOptions>()({
  serviceName: true,
  tags: true,
  origin: true,
  strategy: true,
  deadline: true,
  timeout: true,
  retry: true,
  circuitBreaker: true,
  bulkhead: true,
  policy: true,
  retryBudget: true,
  outlierDetection: true,
  pool: true,
  headers: true,
});
const TIMEOUT_KEYS = optionKeys<NonNullable<ServiceClientOptions['timeout']>>()({ ms: true });
const POOL_KEYS = optionKeys<PoolOptions>()({ connections: true, keepAliveTimeout: true, connectTimeout: true, closeTimeout: true });
const OUTLIER_KEYS = optionKeys<OutlierDetectionOptions>()({ consecutiveFailures: true, baseEjectionTime: true, maxEjectionTime: true, maxEjectionPercent: true, panicMode: true });
const BUDGET_KEYS = optionKeys<RetryBudgetOptions>()({ percent: true, minRetriesPerSecond: true, window: true });
const RETRY_KEYS = optionKeys<RetryOptions>()({ maxAttempts: true, backoff: true, retryOn: true });
const BACKOFF_KEYS = optionKeys<RetryBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true, jitter: true });
const BREAKER_KEYS = optionKeys<CircuitBreakerOptions>()({
  consecutiveFailures: true,
  failureRate: true,
  window: true,
  minimumThroughput: true,
  halfOpenAfter: true,
  halfOpenProbes: true,
  failOn: true,
});
const HALF_OPEN_KEYS = optionKeys<HalfOpenBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true });
const BULKHEAD_KEYS = optionKeys<BulkheadOptions>()({ limit: true, queue: true });

/** The first section of `sections` with an unknown key: each is `[value, valid keys, path of the value]`. */
function firstUnknown(sections: Array<[unknown, readonly string[], string]>): UnknownKey | undefined {
  for (const [value, known, path] of sections) {
    const unknown = findUnknownKey(value, known, path);
    if (unknown) return unknown;
  }
  return undefined;
}

/**
 * @internal The first unknown key of one service's client options (`ServiceClientOptions`) or of one of their
 * sections (`timeout`, `retry` and its `backoff`, `circuitBreaker` and its `halfOpenAfter`, `bulkhead`,
 * `retryBudget`, `outlierDetection`, `pool`), with its path under `path` (e.g. `'pool.'` keys as `pool.conections`).
 * A custom `strategy` object and `headers` (any names) are not key-checked. Used by the gateway as well.
 */
export function findUnknownServiceOption(options: unknown, path = ''): UnknownKey | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const service = options as ServiceClientOptions;
  const retry = service.retry || undefined;
  const breaker = service.circuitBreaker;
  return firstUnknown([
    [service, SERVICE_KEYS, path],
    [service.timeout, TIMEOUT_KEYS, `${path}timeout.`],
    [retry, RETRY_KEYS, `${path}retry.`],
    [retry?.backoff, BACKOFF_KEYS, `${path}retry.backoff.`],
    [breaker, BREAKER_KEYS, `${path}circuitBreaker.`],
    [breaker?.halfOpenAfter, HALF_OPEN_KEYS, `${path}circuitBreaker.halfOpenAfter.`],
    [service.bulkhead, BULKHEAD_KEYS, `${path}bulkhead.`],
    [service.retryBudget || undefined, BUDGET_KEYS, `${path}retryBudget.`],
    [service.outlierDetection || undefined, OUTLIER_KEYS, `${path}outlierDetection.`],
    [service.pool, POOL_KEYS, `${path}pool.`],
  ]);
}

/**
 * @internal Refuses unknown keys in `ServiceClientModule` options: the top level, `defaults` and each service,
 * with every section. The error names where, the key with its path, and the closest valid key.
 */
export function assertKnownOptionKeys(options: ServiceClientModuleOptions): void {
  const fail = (where: string, unknown: UnknownKey | undefined): void => {
    if (unknown) throw new ServiceClientConfigurationError(messages.unknownOption(where, unknown.path, unknown.suggestion, unknown.known));
  };
  fail('ServiceClientModule', findUnknownKey(options, MODULE_KEYS) ?? findUnknownServiceOption(options.defaults, 'defaults.'));
  const services = options.services;
  if (typeof services !== 'object' || services === null) return;
  for (const [key, own] of Object.entries(services)) fail(`ServiceClientModule (service "${key}")`, findUnknownServiceOption(own));
}
