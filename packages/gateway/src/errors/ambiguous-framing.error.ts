import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.AmbiguousFramingError');

/** How a request's body framing was ambiguous. */
export type AmbiguousFramingReason = 'content-length-with-transfer-encoding' | 'conflicting-content-length' | 'invalid-content-length' | 'invalid-transfer-encoding' | 'repeated-header';

/**
 * A request whose body length two servers could read differently (request smuggling): answer 400 and close
 * the connection, never forward it.
 */
export class AmbiguousFramingError extends Error {
  override readonly name = 'AmbiguousFramingError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 400;

  constructor(
    message: string,
    readonly reason: AmbiguousFramingReason,
  ) {
    super(message);
  }
}

/** True when `error` is an {@link AmbiguousFramingError}, from any copy of this package. */
export const isAmbiguousFramingError = brandGuard<AmbiguousFramingError>(BRAND);
