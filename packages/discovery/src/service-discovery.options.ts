import type { ServiceDiscoveryModuleOptions } from './interfaces/service-discovery-options.interface.js';
import { DiscoveryConfigurationError } from './errors/discovery-configuration.error.js';
import { messages } from './errors/messages.constants.js';
import { toMilliseconds } from './utils/duration.js';
import { assertModuleOptionKeys } from './utils/option-keys.js';
import { assertModuleOptionTypes } from './utils/option-types.js';

/** Refuses unknown keys, applies defaults and validates durations, naming the option on error. @internal */
export function resolveDiscoveryOptions(options: ServiceDiscoveryModuleOptions = {}) {
  assertModuleOptionKeys(options);
  assertModuleOptionTypes(options);
  const watch = options.watch ?? {};
  const wait = toMilliseconds(watch.wait, 'watch.wait', 55_000);
  if (wait < 1_000 || wait > 600_000) throw new DiscoveryConfigurationError(messages.invalidWatchWait(watch.wait));
  return {
    failFast: options.failFast ?? true,
    service: options.service ?? {},
    health: {
      indicators: options.health?.indicators ?? [],
      timeout: toMilliseconds(options.health?.timeout, 'health.timeout', 5_000),
    },
    shutdown: {
      drainDelay: toMilliseconds(options.shutdown?.drainDelay, 'shutdown.drainDelay', 2_000),
      timeout: toMilliseconds(options.shutdown?.timeout, 'shutdown.timeout', 10_000),
    },
    watch: {
      wait,
      minInterval: toMilliseconds(watch.minInterval, 'watch.minInterval', 200),
      retryDelay: toMilliseconds(watch.retryDelay, 'watch.retryDelay', 250),
      maxRetryDelay: toMilliseconds(watch.maxRetryDelay, 'watch.maxRetryDelay', 5_000),
      initialTimeout: toMilliseconds(watch.initialTimeout, 'watch.initialTimeout', 5_000),
      linger: toMilliseconds(watch.linger, 'watch.linger', 5_000),
    },
    requestTimeout: toMilliseconds(options.consul?.requestTimeout, 'consul.requestTimeout', 5_000),
  };
}

/** Module options with every default applied and durations in milliseconds. @internal */
export type ResolvedDiscoveryOptions = ReturnType<typeof resolveDiscoveryOptions>;
