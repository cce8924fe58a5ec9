import { findUnknownKey, isNumberIn, isObject, MAX_TIMER_MS, optionKeys } from '@nestmesh/common';
import { conflictingBreakerMessage, invalidOptionMessage, missingRequiredMessage, unknownOptionMessage, unknownPolicyMessage } from '../errors/messages.constants.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';
import type { CircuitBreakerOptions, HalfOpenBackoffOptions } from '../interfaces/circuit-breaker-options.interface.js';
import type { ResilienceModuleOptions, ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import type { RetryBackoffOptions, RetryOptions } from '../interfaces/retry-options.interface.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';
import { DEFAULTS } from '../resilience.constants.js';

/**
 * The keys of every options object of the policies, checked against their interfaces by the compiler: one list
 * for the decorators, the module's defaults and named policies, and `@nestmesh/client` (a service's `retry`,
 * `circuitBreaker`, `bulkhead`). @internal
 */
export const POLICY_OPTION_KEYS = {
  /** The sections of a named policy, of `defaults`, of `ResiliencePolicyFactory.create()`. */
  sections: optionKeys<ResiliencePolicyOptions>()({ circuitBreaker: true, retry: true, timeout: true, bulkhead: true }),
  circuitBreaker: optionKeys<CircuitBreakerOptions>()({
    consecutiveFailures: true,
    failureRate: true,
    window: true,
    minimumThroughput: true,
    halfOpenAfter: true,
    halfOpenProbes: true,
    failOn: true,
  }),
  halfOpenAfter: optionKeys<HalfOpenBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true }),
  retry: optionKeys<RetryOptions>()({ maxAttempts: true, backoff: true, retryOn: true }),
  backoff: optionKeys<RetryBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true, jitter: true }),
  timeout: optionKeys<TimeoutOptions>()({ ms: true, signalArg: true }),
  bulkhead: optionKeys<BulkheadOptions>()({ limit: true, queue: true }),
} as const;

const KEYS = POLICY_OPTION_KEYS;

/** @internal Circuit-breaker options after defaults and validation. */
export interface ResolvedCircuitBreakerOptions {
  readonly consecutiveFailures?: number;
  readonly failureRate?: number;
  readonly window: number;
  readonly minimumThroughput: number;
  readonly halfOpenAfter: number | Readonly<Required<HalfOpenBackoffOptions>>;
  readonly halfOpenProbes: number;
  readonly failOn?: CircuitBreakerOptions['failOn'];
}

/** @internal Retry options after defaults and validation, `backoff` flattened (`jitter` as a fraction 0..1). */
export interface ResolvedRetryOptions extends Readonly<Required<Omit<RetryBackoffOptions, 'jitter'>>> {
  readonly maxAttempts: number;
  readonly jitter: number;
  readonly retryOn?: RetryOptions['retryOn'];
}

/** @internal Bulkhead options after defaults and validation. */
export type ResolvedBulkheadOptions = Readonly<Required<BulkheadOptions>>;

/**
 * @internal Merges circuit-breaker options over defaults and validates them. `where` prefixes every message,
 * e.g. `OrdersService.place: @CircuitBreaker`.
 */
export function resolveCircuitBreakerOptions(where: string, options: CircuitBreakerOptions, defaults: CircuitBreakerOptions = {}): ResolvedCircuitBreakerOptions {
  knownKeys(where, options, KEYS.circuitBreaker, '{ consecutiveFailures: 5 }');
  // A method choosing one breaker type overrides a default of the other type.
  const base = { ...defaults };
  if (options.consecutiveFailures !== undefined) delete base.failureRate;
  if (options.failureRate !== undefined) delete base.consecutiveFailures;
  const merged: CircuitBreakerOptions = { ...base, ...options };
  if (merged.consecutiveFailures !== undefined && merged.failureRate !== undefined) {
    throw new ResilienceConfigurationError(conflictingBreakerMessage(where, merged.consecutiveFailures, merged.failureRate));
  }
  const sampling = merged.failureRate !== undefined;
  if (sampling && (typeof merged.failureRate !== 'number' || !(merged.failureRate > 0 && merged.failureRate < 1))) {
    fail(where, 'failureRate', merged.failureRate, 'a number between 0 and 1 (exclusive)', 'give the share of failed calls that opens the breaker, e.g. failureRate: 0.5');
  }
  errorFilter(where, 'failOn', merged.failOn);
  return {
    consecutiveFailures: sampling
      ? undefined
      : integer(where, 'consecutiveFailures', merged.consecutiveFailures ?? DEFAULTS.circuitBreaker.consecutiveFailures, 1, 'count failures in a row, e.g. consecutiveFailures: 5'),
    failureRate: merged.failureRate,
    window: finite(where, 'window', merged.window ?? DEFAULTS.circuitBreaker.window, 0, 'give the sampling window in ms, e.g. window: 30000', true),
    minimumThroughput: integer(where, 'minimumThroughput', merged.minimumThroughput ?? DEFAULTS.circuitBreaker.minimumThroughput, 1, 'give the minimum number of calls in the window, e.g. minimumThroughput: 10'),
    halfOpenAfter: resolveHalfOpenAfter(where, merged.halfOpenAfter ?? DEFAULTS.circuitBreaker.halfOpenAfter),
    halfOpenProbes: integer(where, 'halfOpenProbes', merged.halfOpenProbes ?? DEFAULTS.circuitBreaker.halfOpenProbes, 1, 'allow at least one half-open probe, e.g. halfOpenProbes: 1'),
    failOn: merged.failOn,
  };
}

function resolveHalfOpenAfter(where: string, value: CircuitBreakerOptions['halfOpenAfter']): ResolvedCircuitBreakerOptions['halfOpenAfter'] {
  const fix = 'give milliseconds, e.g. halfOpenAfter: 10000, or a growing backoff { initialDelay: 1000, maxDelay: 60000 }';
  if (typeof value === 'number') return finite(where, 'halfOpenAfter', value, 0, fix);
  if (typeof value !== 'object' || value === null) fail(where, 'halfOpenAfter', value, 'a number of ms or { initialDelay, maxDelay, exponent? }', fix);
  knownKeys(where, value, KEYS.halfOpenAfter, '{ initialDelay: 1000, maxDelay: 60000 }', 'halfOpenAfter.');
  const initialDelay = finite(where, 'halfOpenAfter.initialDelay', value.initialDelay, 0, fix, true);
  const maxDelay = finite(where, 'halfOpenAfter.maxDelay', value.maxDelay, initialDelay, 'make it >= halfOpenAfter.initialDelay');
  const exponent = finite(where, 'halfOpenAfter.exponent', value.exponent ?? 2, 1, 'use a growth factor >= 1, e.g. exponent: 2');
  return { initialDelay, maxDelay, exponent };
}

/** @internal Merges retry options over defaults and validates them. */
export function resolveRetryOptions(where: string, options: RetryOptions, defaults: RetryOptions = {}): ResolvedRetryOptions {
  knownKeys(where, options, KEYS.retry, '{ maxAttempts: 3 }');
  if (options.backoff !== undefined) knownKeys(where, options.backoff, KEYS.backoff, '{ initialDelay: 100, maxDelay: 5000 }', 'backoff.');
  const backoff = { ...defaults.backoff, ...options.backoff };
  const merged: RetryOptions = { ...defaults, ...options, backoff };
  errorFilter(where, 'retryOn', merged.retryOn);
  const initialDelay = timerMs(where, 'backoff.initialDelay', backoff.initialDelay ?? DEFAULTS.retry.initialDelay, 0, 'give the first delay in ms, e.g. initialDelay: 100');
  return {
    maxAttempts: integer(where, 'maxAttempts', merged.maxAttempts ?? DEFAULTS.retry.maxAttempts, 1, 'count every call, the first included: maxAttempts: 3 makes at most 3 calls'),
    initialDelay,
    maxDelay: timerMs(where, 'backoff.maxDelay', backoff.maxDelay ?? Math.max(DEFAULTS.retry.maxDelay, initialDelay), initialDelay, 'make it >= backoff.initialDelay'),
    exponent: finite(where, 'backoff.exponent', backoff.exponent ?? DEFAULTS.retry.exponent, 1, 'use a growth factor >= 1, e.g. exponent: 2'),
    jitter: resolveJitter(where, backoff.jitter ?? DEFAULTS.retry.jitter),
    retryOn: merged.retryOn,
  };
}

function resolveJitter(where: string, jitter: unknown): number {
  if (jitter === true) return 1;
  if (jitter === false) return 0;
  if (typeof jitter === 'number' && jitter >= 0 && jitter <= 1) return jitter;
  return fail(where, 'backoff.jitter', jitter, 'true, false or a fraction between 0 and 1', 'use jitter: true (full jitter), false, or e.g. 0.2');
}

/** @internal Normalises `@Timeout(ms | options)` over defaults and validates it. */
export function resolveTimeoutOptions(where: string, msOrOptions: number | TimeoutOptions, defaults: Partial<TimeoutOptions> = {}): Readonly<TimeoutOptions> {
  const options = typeof msOrOptions === 'number' ? { ms: msOrOptions } : knownKeys(where, msOrOptions, KEYS.timeout, '{ ms: 1000 }');
  const merged = { ...defaults, ...options } as Partial<TimeoutOptions>;
  const ms = timerMs(where, 'ms', required(where, 'ms', merged.ms, '@Timeout(2000)'), 0, 'give the deadline in ms, e.g. @Timeout(2000)', true);
  const signalArg = merged.signalArg === undefined ? undefined : integer(where, 'signalArg', merged.signalArg, 0, 'give the index of the AbortSignal parameter, e.g. signalArg: 1');
  return { ms, signalArg };
}

/** @internal Merges bulkhead options over defaults and validates them. */
export function resolveBulkheadOptions(where: string, options: BulkheadOptions, defaults: Partial<BulkheadOptions> = {}): ResolvedBulkheadOptions {
  knownKeys(where, options, KEYS.bulkhead, '{ limit: 10, queue: 0 }');
  const merged = { ...defaults, ...options } as Partial<BulkheadOptions>;
  return {
    limit: integer(where, 'limit', required(where, 'limit', merged.limit, '@Bulkhead({ limit: 10 })'), 1, 'allow at least one execution, e.g. limit: 10'),
    queue: integer(where, 'queue', merged.queue ?? DEFAULTS.bulkhead.queue, 0, 'give the number of waiting places (0 = reject at once), e.g. queue: 10'),
  };
}

const MODULE_KEYS = optionKeys<ResilienceModuleOptions>()({ defaults: true, policies: true, logEvents: true, openBreakerStatus: true });

/**
 * @internal Validates the module options up front (defaults and every named policy, used or not), so a bad
 * option fails at bootstrap naming its path, e.g. `ResilienceModule options policies.orders.retry`.
 */
export function validateModuleOptions(options: ResilienceModuleOptions): void {
  const where = 'ResilienceModule options';
  knownKeys(where, options, MODULE_KEYS, '{ defaults: { retry: { maxAttempts: 2 } } }');
  if (options.defaults !== undefined) knownKeys(where, options.defaults, KEYS.sections, '{ retry: { maxAttempts: 2 } }', 'defaults.');
  const defaults = options.defaults ?? {};
  // Partial defaults are only resolved once complete (ms, limit given), but their keys are checked always.
  if (defaults.timeout !== undefined) knownKeys(`${where} defaults.timeout`, defaults.timeout, KEYS.timeout, '{ ms: 2000 }');
  if (defaults.bulkhead !== undefined) knownKeys(`${where} defaults.bulkhead`, defaults.bulkhead, KEYS.bulkhead, '{ limit: 10 }');
  if (options.logEvents !== undefined && typeof options.logEvents !== 'boolean') fail(where, 'logEvents', options.logEvents, 'true or false', 'logEvents: false silences breaker and retry events');
  if (options.openBreakerStatus !== undefined && !['down', 'degraded', 'up'].includes(options.openBreakerStatus)) {
    fail(where, 'openBreakerStatus', options.openBreakerStatus, `'down', 'degraded' or 'up'`, `openBreakerStatus: 'degraded' reports an open breaker without failing the health check`);
  }
  if (options.policies !== undefined && !isObject(options.policies)) {
    fail(where, 'policies', options.policies, 'an object of named policies', "pass e.g. policies: { orders: { circuitBreaker: { consecutiveFailures: 5 } } }");
  }
  // `!== undefined`, not truthiness: a null section is refused, never taken for the defaults.
  if (defaults.circuitBreaker !== undefined) resolveCircuitBreakerOptions(`${where} defaults.circuitBreaker`, defaults.circuitBreaker);
  if (defaults.retry !== undefined) resolveRetryOptions(`${where} defaults.retry`, defaults.retry);
  if (defaults.timeout?.ms !== undefined) resolveTimeoutOptions(`${where} defaults.timeout`, defaults.timeout as { ms: number });
  if (defaults.bulkhead?.limit !== undefined) resolveBulkheadOptions(`${where} defaults.bulkhead`, defaults.bulkhead as { limit: number });
  for (const [name, policy] of Object.entries(options.policies ?? {})) {
    const at = `${where} policies.${name}`;
    knownKeys(where, policy, KEYS.sections, '{ circuitBreaker: { consecutiveFailures: 5 } }', `policies.${name}.`);
    if (policy.circuitBreaker !== undefined) resolveCircuitBreakerOptions(`${at}.circuitBreaker`, policy.circuitBreaker, defaults.circuitBreaker);
    if (policy.retry !== undefined) resolveRetryOptions(`${at}.retry`, policy.retry, defaults.retry);
    if (policy.timeout !== undefined) resolveTimeoutOptions(`${at}.timeout`, policy.timeout, defaults.timeout);
    if (policy.bulkhead !== undefined) resolveBulkheadOptions(`${at}.bulkhead`, policy.bulkhead, defaults.bulkhead);
  }
}

/** @internal The named policy a decorator refers to, or a configuration error naming the method. */
export function namedPolicy(options: ResilienceModuleOptions, where: string, name: string): ResiliencePolicyOptions {
  const policies = options.policies ?? {};
  const policy = Object.prototype.hasOwnProperty.call(policies, name) ? policies[name] : undefined;
  if (policy === undefined) throw new ResilienceConfigurationError(unknownPolicyMessage(where, name, Object.keys(policies)));
  return policy;
}

/** @internal Throws a configuration error for `where` (e.g. `OrdersService.place: @Retry`). */
export function fail(where: string, option: string, value: unknown, expected: string, fix: string): never {
  throw new ResilienceConfigurationError(invalidOptionMessage(where, option, value, expected, fix));
}

/** @internal Checks an integer option is present (or defaulted) and `>= min`. */
export function integer(where: string, option: string, value: unknown, min: number, fix: string): number {
  if (!isNumberIn(value, { min, integer: true })) {
    fail(where, option, value, `an integer >= ${min}`, fix);
  }
  return value;
}

/** @internal Checks a finite number `>= min` (or `> min` when `exclusive`). */
export function finite(where: string, option: string, value: unknown, min: number, fix: string, exclusive = false): number {
  if (!isNumberIn(value, { min, max: Number.POSITIVE_INFINITY, exclusiveMin: exclusive })) {
    fail(where, option, value, `a finite number ${exclusive ? '>' : '>='} ${min}`, fix);
  }
  return value;
}

/** @internal Checks a duration in ms that a timer will wait: finite, `>= min` (or `> min`), at most {@link MAX_TIMER_MS}. */
export function timerMs(where: string, option: string, value: unknown, min: number, fix: string, exclusive = false): number {
  const ms = finite(where, option, value, min, fix, exclusive);
  if (ms > MAX_TIMER_MS) fail(where, option, ms, `at most ${MAX_TIMER_MS} ms (Node fires longer timers after 1 ms)`, fix);
  return ms;
}

/** @internal Checks a required option was given somewhere. */
export function required<T>(where: string, option: string, value: T | undefined, example: string): T {
  if (value === undefined) throw new ResilienceConfigurationError(missingRequiredMessage(where, option, example));
  return value;
}

/**
 * @internal Checks an options argument is an object with only known keys; an unknown key fails naming `where`, the
 * key with its `path` (e.g. `'backoff.'`), its value and the closest valid key. Call it for every options object.
 */
export function knownKeys(where: string, options: unknown, allowed: readonly string[], example: string, path = ''): Record<string, unknown> {
  if (!isObject(options)) {
    fail(where, path ? path.slice(0, -1) : 'options', options, 'an options object or a policy name', `pass e.g. ${example}`);
  }
  const unknown = findUnknownKey(options, allowed, path);
  if (unknown) {
    throw new ResilienceConfigurationError(unknownOptionMessage(where, unknown.path, (options as Record<string, unknown>)[unknown.key], unknown.suggestion, allowed));
  }
  return options as Record<string, unknown>;
}

/** @internal Checks an error filter: a predicate or an array of classes. */
export function errorFilter(where: string, option: string, value: unknown): void {
  if (value === undefined || typeof value === 'function') return;
  if (Array.isArray(value) && value.every((item) => typeof item === 'function')) return;
  fail(where, option, value, 'a predicate (error) => boolean or an array of error classes', `e.g. ${option}: [ServiceUnavailableException]`);
}
