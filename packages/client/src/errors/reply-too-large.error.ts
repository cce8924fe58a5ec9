import { brandGuard } from '@nestmesh/common';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:ReplyTooLargeError');

/**
 * A TCP reply grew past the service's `maxReplySize` as it arrived: the connection it came on was closed, and every
 * message awaiting a reply on it fails with this error (nothing longer was held in memory).
 */
export class ReplyTooLargeError extends Error {
  override readonly name = 'ReplyTooLargeError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link ReplyTooLargeError} (from any copy of this package). */
export const isReplyTooLargeError = brandGuard<ReplyTooLargeError>(BRAND);
