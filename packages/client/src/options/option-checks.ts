import { ServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** @internal Throws a configuration error naming the option, the value and the fix. */
export function invalid(where: string, option: string, value: unknown, fix: string): never {
  throw new ServiceClientConfigurationError(messages.invalidOption(where, option, value, fix));
}

/** @internal A number in `[min, max]` (an integer when `integer`), or the default when `undefined`. */
export function checkNumber(where: string, option: string, value: unknown, fallback: number, range: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean }): number {
  if (value === undefined) return fallback;
  const { min, max = Number.MAX_SAFE_INTEGER, integer = false, exclusiveMin = false } = range;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (exclusiveMin ? value > min : value >= min) && value <= max && (!integer || Number.isInteger(value));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    invalid(where, option, value, `Use ${kind} ${exclusiveMin ? '>' : '>='} ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` and <= ${max}`}, or leave it unset (default ${fallback}).`);
  }
  return value;
}

/** @internal An object (or `undefined`), else a configuration error. */
export function checkObject<T extends object>(where: string, option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(where, option, value, 'Pass an object, or leave it unset.');
  return value as T;
}
