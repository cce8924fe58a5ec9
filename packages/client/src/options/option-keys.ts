import { findUnknownKey, optionKeys, unknownOptionMessage, type UnknownKey } from '@nestmesh/common';
import { POLICY_OPTION_KEYS as POLICY } from '@nestmesh/resilience';
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
  maxReplySize: true,
});
const TIMEOUT_KEYS = optionKeys<NonNullable<ServiceClientOptions['timeout']>>()({ ms: true });
const POOL_KEYS = optionKeys<PoolOptions>()({ connections: true, keepAliveTimeout: true, connectTimeout: true, closeTimeout: true });
const OUTLIER_KEYS = optionKeys<OutlierDetectionOptions>()({ consecutiveFailures: true, baseEjectionTime: true, maxEjectionTime: true, maxEjectionPercent: true, panicMode: true });
const BUDGET_KEYS = optionKeys<RetryBudgetOptions>()({ percent: true, minRetriesPerSecond: true, window: true });

/**
 * @internal The first unknown key of one service's client options or of any of their sections, with its path under
 * `path` (e.g. `pool.conections`); a custom `strategy` and `headers` are not key-checked. Used by the gateway too.
 */
export function findUnknownServiceOption(options: unknown, path = ''): UnknownKey | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const service = options as ServiceClientOptions;
  const retry = service.retry || undefined;
  const breaker = service.circuitBreaker;
  return (
    findUnknownKey(service, SERVICE_KEYS, path) ??
    findUnknownKey(service.timeout, TIMEOUT_KEYS, `${path}timeout.`) ??
    findUnknownKey(retry, POLICY.retry, `${path}retry.`) ??
    findUnknownKey(retry?.backoff, POLICY.backoff, `${path}retry.backoff.`) ??
    findUnknownKey(breaker, POLICY.circuitBreaker, `${path}circuitBreaker.`) ??
    findUnknownKey(breaker?.halfOpenAfter, POLICY.halfOpenAfter, `${path}circuitBreaker.halfOpenAfter.`) ??
    findUnknownKey(service.bulkhead, POLICY.bulkhead, `${path}bulkhead.`) ??
    findUnknownKey(service.retryBudget || undefined, BUDGET_KEYS, `${path}retryBudget.`) ??
    findUnknownKey(service.outlierDetection || undefined, OUTLIER_KEYS, `${path}outlierDetection.`) ??
    findUnknownKey(service.pool, POOL_KEYS, `${path}pool.`)
  );
}

/**
 * @internal Refuses unknown keys in `ServiceClientModule` options: the top level, `defaults` and each service,
 * with every section. The error names where, the key with its path, and the closest valid key.
 */
export function assertKnownOptionKeys(options: ServiceClientModuleOptions): void {
  const fail = (where: string, unknown: UnknownKey | undefined): void => {
    if (unknown) throw new ServiceClientConfigurationError(unknownOptionMessage(where, unknown));
  };
  fail('ServiceClientModule', findUnknownKey(options, MODULE_KEYS) ?? findUnknownServiceOption(options.defaults, 'defaults.'));
  const services = options.services;
  if (typeof services !== 'object' || services === null) return;
  for (const [key, own] of Object.entries(services)) fail(`ServiceClientModule (service "${key}")`, findUnknownServiceOption(own));
}
