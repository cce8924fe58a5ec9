import { unknownPolicyMessage } from '../errors/messages.constants.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import type { ResilienceModuleOptions, ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import { knownKeys } from './option-checks.js';
import { POLICY_OPTION_KEYS, resolveBulkheadOptions, resolveCircuitBreakerOptions, resolveRetryOptions, resolveTimeoutOptions } from './options.resolver.js';

const MODULE_KEYS = ['defaults', 'policies', 'logEvents', 'openBreakerStatus'] satisfies Array<keyof ResilienceModuleOptions>;
const SECTIONS = POLICY_OPTION_KEYS.sections;

/**
 * @internal Validates the module options up front (defaults and every named policy, used or not), so a bad
 * option fails at bootstrap naming its path, e.g. `ResilienceModule options policies.orders.retry`.
 */
export function validateModuleOptions(options: ResilienceModuleOptions): void {
  const where = 'ResilienceModule options';
  knownKeys(where, options, MODULE_KEYS, '{ defaults: { retry: { maxAttempts: 2 } } }');
  if (options.defaults !== undefined) knownKeys(where, options.defaults, SECTIONS, '{ retry: { maxAttempts: 2 } }', 'defaults.');
  const defaults = options.defaults ?? {};
  // Partial defaults are only resolved once complete (ms, limit given), but their keys are checked always.
  if (defaults.timeout !== undefined) knownKeys(`${where} defaults.timeout`, defaults.timeout, POLICY_OPTION_KEYS.timeout, '{ ms: 2000 }');
  if (defaults.bulkhead !== undefined) knownKeys(`${where} defaults.bulkhead`, defaults.bulkhead, POLICY_OPTION_KEYS.bulkhead, '{ limit: 10 }');
  if (defaults.circuitBreaker) resolveCircuitBreakerOptions(`${where} defaults.circuitBreaker`, defaults.circuitBreaker);
  if (defaults.retry) resolveRetryOptions(`${where} defaults.retry`, defaults.retry);
  if (defaults.timeout?.ms !== undefined) resolveTimeoutOptions(`${where} defaults.timeout`, defaults.timeout as { ms: number });
  if (defaults.bulkhead?.limit !== undefined) resolveBulkheadOptions(`${where} defaults.bulkhead`, defaults.bulkhead as { limit: number });
  for (const [name, policy] of Object.entries(options.policies ?? {})) {
    const at = `${where} policies.${name}`;
    knownKeys(where, policy, SECTIONS, '{ circuitBreaker: { consecutiveFailures: 5 } }', `policies.${name}.`);
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
