import type { HealthIndicatorFunction } from '@nestjs/terminus';
import type { DiscoverableOptions } from './interfaces/discoverable-options.interface.js';
import type { ServiceDiscoveryModuleOptions } from './interfaces/service-discovery-options.interface.js';
import { DiscoveryConfigurationError } from './errors/discovery-configuration.error.js';
import { messages } from './errors/messages.constants.js';
import { DEFAULTS } from './service-discovery.constants.js';
import { toMilliseconds } from './utils/duration.js';
import { assertModuleOptionKeys } from './utils/option-keys.js';

/** Module options with every default applied and durations in milliseconds. @internal */
export interface ResolvedDiscoveryOptions {
  failFast: boolean;
  service: Partial<DiscoverableOptions>;
  health: { indicators: HealthIndicatorFunction[]; timeout: number };
  shutdown: { drainDelay: number; timeout: number };
  watch: { wait: number; minInterval: number; retryDelay: number; maxRetryDelay: number; initialTimeout: number; linger: number };
  requestTimeout: number;
}

/** Refuses unknown keys, applies defaults and validates durations, naming the option on error. @internal */
export function resolveDiscoveryOptions(options: ServiceDiscoveryModuleOptions = {}): ResolvedDiscoveryOptions {
  assertModuleOptionKeys(options);
  const watch = options.watch ?? {};
  const wait = toMilliseconds(watch.wait, 'watch.wait', DEFAULTS.watchWait);
  if (wait < 1_000 || wait > 600_000) throw new DiscoveryConfigurationError(messages.invalidWatchWait(watch.wait));
  return {
    failFast: options.failFast ?? true,
    service: options.service ?? {},
    health: {
      indicators: options.health?.indicators ?? [],
      timeout: toMilliseconds(options.health?.timeout, 'health.timeout', DEFAULTS.healthTimeout),
    },
    shutdown: {
      drainDelay: toMilliseconds(options.shutdown?.drainDelay, 'shutdown.drainDelay', DEFAULTS.drainDelay),
      timeout: toMilliseconds(options.shutdown?.timeout, 'shutdown.timeout', DEFAULTS.shutdownTimeout),
    },
    watch: {
      wait,
      minInterval: toMilliseconds(watch.minInterval, 'watch.minInterval', DEFAULTS.watchMinInterval),
      retryDelay: toMilliseconds(watch.retryDelay, 'watch.retryDelay', DEFAULTS.watchRetryInitial),
      maxRetryDelay: toMilliseconds(watch.maxRetryDelay, 'watch.maxRetryDelay', DEFAULTS.watchRetryMax),
      initialTimeout: toMilliseconds(watch.initialTimeout, 'watch.initialTimeout', DEFAULTS.initialFetchTimeout),
      linger: toMilliseconds(watch.linger, 'watch.linger', DEFAULTS.watchLinger),
    },
    requestTimeout: toMilliseconds(options.consul?.requestTimeout, 'consul.requestTimeout', DEFAULTS.requestTimeout),
  };
}
