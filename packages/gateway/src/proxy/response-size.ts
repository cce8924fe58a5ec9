import { isBodilessStatus } from './bodiless-answer.js';
import { ResponseTooLargeError } from './upstream-failure.js';

/**
 * The route's `maxResponseSize` rule, for every way an answer goes back (relayed, streamed through hooks or the
 * cache, cached): an answer of `status` whose `Content-Length` declares more than `max` bytes is refused before
 * anything is sent (a bodiless status, RFC 9110 §6.4.1, has no body to measure). @internal
 */
export function declaredSizeError(status: number, length: number | undefined, max: number): ResponseTooLargeError | undefined {
  return length !== undefined && length > max && !isBodilessStatus(status) ? new ResponseTooLargeError(`content-length ${length}`) : undefined;
}

/**
 * The same rule for the bytes of a body as they are counted (`seen` so far), whether or not it declared a length:
 * past `max`, the answer is cut. @internal
 */
export function countedSizeError(seen: number, max: number): ResponseTooLargeError | undefined {
  return seen > max ? new ResponseTooLargeError('response body over the limit') : undefined;
}
