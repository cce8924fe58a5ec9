/** Bounds of a number option: `[min, max]` (`(min, max]` when `exclusiveMin`), whole when `integer`. @internal */
export interface NumberRange {
  /** The lowest value allowed (excluded when `exclusiveMin`). */
  readonly min: number;
  /** The highest value allowed. Default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
  /** Only whole numbers. Default `false`. */
  readonly integer?: boolean;
  /** `min` itself is refused. Default `false`. */
  readonly exclusiveMin?: boolean;
}

/** True for a finite number within `range`. @internal */
export function isNumberIn(value: unknown, range: NumberRange): value is number {
  const { min, max = Number.MAX_SAFE_INTEGER, integer = false, exclusiveMin = false } = range;
  return typeof value === 'number' && Number.isFinite(value) && (exclusiveMin ? value > min : value >= min) && value <= max && (!integer || Number.isInteger(value));
}

/** Node's largest timer delay in ms: longer ones fire after 1 ms. @internal */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** True for an HTTP header name (a token) and value (no control character but tab), as Node and undici check them. @internal */
export const isHeaderName = (value: string): boolean => HEADER_NAME.test(value);
export const isHeaderValue = (value: unknown): value is string => typeof value === 'string' && HEADER_VALUE.test(value);

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);
/** True for a header the HTTP client sets itself, which undici refuses in a request (framing, connection). @internal */
export const isConnectionHeader = (name: string): boolean => CONNECTION_HEADERS.has(name.toLowerCase());
/** What to do about a header {@link isConnectionHeader} refuses: the fix of its error message. @internal */
export const CONNECTION_HEADER_FIX = 'Leave it out: undici sets the framing and connection headers itself (and refuses these).';

/** True for a TCP port: an integer from 1 to 65535. @internal */
export function isPort(value: unknown): value is number {
  return isNumberIn(value, { min: 1, max: 65_535, integer: true });
}

/** True for an object that is not `null` nor an array (an options object, a map of names). @internal */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SERVICE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * True for a service name that follows the one rule shared by discovery (registration, lookups, watches) and the
 * gateway (`service` routes), e.g. `"orders"` or `"order-api"`: a DNS label, 1 to 63 letters, digits and dashes,
 * starting and ending with a letter or digit. Consul accepts more, but warns that other names cannot be found
 * through its DNS interface. @internal
 */
export function isServiceName(value: unknown): value is string {
  return typeof value === 'string' && SERVICE_NAME.test(value);
}
