import { unknownPolicyMessage } from '../errors/messages.constant.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import type { ResilienceModuleOptions, ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import { resolveBulkheadOptions, resolveCircuitBreakerOptions, resolveRetryOptions, resolveTimeoutOptions } from './options.resolver.js';

/**
 * @internal Validates the module options up front (defaults and every named policy, used or not), so a bad
 * option fails at bootstrap naming its path, e.g. `ResilienceModule options policies.orders.retry`.
 */
export function validateModuleOptions(options: ResilienceModuleOptions): void {
  const where = 'ResilienceModule options';
  const defaults = options.defaults ?? {};
  if (defaults.circuitBreaker) resolveCircuitBreakerOptions(`${where} defaults.circuitBreaker`, defaults.circuitBreaker);
  if (defaults.retry) resolveRetryOptions(`${where} defaults.retry`, defaults.retry);
  if (defaults.timeout?.ms !== undefined) resolveTimeoutOptions(`${where} defaults.timeout`, defaults.timeout as { ms: number });
  if (defaults.bulkhead?.limit !== undefined) resolveBulkheadOptions(`${where} defaults.bulkhead`, defaults.bulkhead as { limit: number });
  for (const [name, policy] of Object.entries(options.policies ?? {})) {
    const at = `${where} policies.${name}`;
    if (policy.circuitBreaker) resolveCircuitBreakerOptions(`${at}.circuitBreaker`, policy.circuitBreaker, defaults.circuitBreaker);
    if (policy.retry) resolveRetryOptions(`${at}.retry`, policy.retry, defaults.retry);
    if (policy.timeout) resolveTimeoutOptions(`${at}.timeout`, policy.timeout, defaults.timeout);
    if (policy.bulkhead) resolveBulkheadOptions(`${at}.bulkhead`, policy.bulkhead, defaults.bulkhead);
  }
}

/** @internal The named policy a decorator refers to, or a configuration error naming the method. */
export function namedPolicy(options: ResilienceModuleOptions, where: string, name: string): ResiliencePolicyOptions {
  const policies = options.policies ?? {};
  const policy = Object.prototype.hasOwnProperty.call(policies, name) ? policies[name] : undefined;
  if (policy === undefined) throw new ResilienceConfigurationError(unknownPolicyMessage(where, name, Object.keys(policies)));
  return policy;
}
