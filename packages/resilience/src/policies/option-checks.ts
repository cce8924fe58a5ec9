import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import { invalidOptionMessage, missingRequiredMessage, unknownOptionMessage } from '../errors/messages.constants.js';
import { findUnknownKey, isNumberIn, isObject, MAX_TIMER_MS } from '@nestmesh/common';

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
