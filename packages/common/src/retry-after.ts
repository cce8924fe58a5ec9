/**
 * A wait asked for, in ms: a number of ms, a `Date`, or an HTTP `Retry-After` value (delay-seconds or an
 * HTTP date; of a header list, the first). `undefined` when absent, unreadable or not in the future. @internal
 *
 * @example
 * retryAfterMs('2'); // 2000
 * retryAfterMs(response.headers['retry-after']); // an HTTP date: the ms until then
 */
export function retryAfterMs(hint: unknown, now = Date.now()): number | undefined {
  const value = Array.isArray(hint) ? (hint[0] as unknown) : hint;
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (value instanceof Date) ms = value.getTime() - now;
  else if (typeof value === 'string' && value.trim() !== '') {
    const seconds = Number(value);
    ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  }
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
