import { CONNECTION_HEADER_FIX, isConnectionHeader, isHeaderName, isHeaderValue, isNumberIn, isObject, type NumberRange } from '@nestmesh/common';
import { ServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { DEFAULT_PROPAGATED_HEADERS } from '../service-client.constants.js';

/** @internal Throws a configuration error naming the option, the value and the fix. */
export function invalid(where: string, option: string, value: unknown, fix: string): never {
  throw new ServiceClientConfigurationError(messages.invalidOption(where, option, value, fix));
}

/** @internal A header that can be sent (a request's own, or a service's `headers`), else a configuration error. */
export function checkHeader(where: string, name: string, value: unknown): void {
  if (!isHeaderName(name)) invalid(where, 'headers', name, "Use header names made of letters, digits and !#$%&'*+-.^_`|~.");
  if (isConnectionHeader(name)) invalid(where, 'headers', name, CONNECTION_HEADER_FIX);
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!isHeaderValue(item)) invalid(where, `headers.${name}`, item, 'Use header values without control characters (CR, LF, NUL...): a string, or an array of them.');
  }
}

/** @internal A number in `[min, max]` (an integer when `integer`), or the default when `undefined`. */
export function checkNumber(where: string, option: string, value: unknown, fallback: number, range: NumberRange): number {
  if (value === undefined) return fallback;
  if (!isNumberIn(value, range)) {
    const { min, max = Number.MAX_SAFE_INTEGER, integer = false, exclusiveMin = false } = range;
    const kind = integer ? 'an integer' : 'a number';
    invalid(where, option, value, `Use ${kind} ${exclusiveMin ? '>' : '>='} ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` and <= ${max}`}, or leave it unset (default ${fallback}).`);
  }
  return value;
}

/** @internal An object (or `undefined`), else a configuration error. */
export function checkObject<T extends object>(where: string, option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) invalid(where, option, value, 'Pass an object, or leave it unset.');
  return value as T;
}

/** @internal The names `propagateHeaders` copies, lower-cased (the defaults when unset), else a configuration error. */
export function propagatedHeaderNames(value: unknown): string[] {
  if (value === false) return [];
  if (value === undefined) return [...DEFAULT_PROPAGATED_HEADERS];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && isHeaderName(name))) {
    invalid('ServiceClientModule', 'propagateHeaders', value, 'Use an array of header names, or false.');
  }
  return value.map((name: string) => name.toLowerCase());
}
