/** The error of an upstream whose response went over `maxResponseSize`. @internal */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

/**
 * Whether an answer of `status` never has a body (RFC 9110 §6.4.1: 1xx, 204, 304): whatever an upstream sent
 * after its headers is not a body to relay, and its `Content-Length` is not the length of one. @internal
 */
export function isBodilessStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/**
 * The route's `maxResponseSize` rule, for every way an answer goes back (relayed, streamed through hooks or the
 * cache, cached): an answer of `status` whose `Content-Length` declares more than `max` bytes is refused before
 * anything is sent (a bodiless status, RFC 9110 §6.4.1, or the answer to a HEAD has no body to measure). @internal
 */
export function declaredSizeError(status: number, length: number | undefined, max: number, method?: string): ResponseTooLargeError | undefined {
  return length !== undefined && length > max && !isBodilessStatus(status) && method !== 'HEAD' ? new ResponseTooLargeError(`content-length ${length}`) : undefined;
}

/**
 * The same rule for the bytes of a body as they are counted (`seen` so far), whether or not it declared a length:
 * past `max`, the answer is cut. @internal
 */
export function countedSizeError(seen: number, max: number): ResponseTooLargeError | undefined {
  return seen > max ? new ResponseTooLargeError('response body over the limit') : undefined;
}
