import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.BadRequestTargetError');

/** Why a request target was refused. */
export type BadRequestTargetReason =
  | 'empty'
  | 'not-origin-form'
  | 'invalid-authority'
  | 'invalid-character'
  | 'fragment'
  | 'backslash'
  | 'encoded-slash'
  | 'encoded-backslash'
  | 'invalid-encoding'
  | 'double-encoding'
  | 'control-character'
  | 'dot-segment-parameter'
  | 'path-parameter';

/**
 * A request target the edge will not guess about (an encoded slash or backslash, a broken or double
 * percent-encoding, a control character...): answer 400. Different servers read such targets differently,
 * which is how path-based authorization gets bypassed, so none of them reaches a route or an upstream.
 */
export class BadRequestTargetError extends Error {
  override readonly name = 'BadRequestTargetError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 400;

  constructor(
    message: string,
    readonly reason: BadRequestTargetReason,
  ) {
    super(message);
  }
}

/** True when `error` is a {@link BadRequestTargetError}, from any copy of this package. */
export const isBadRequestTargetError = brandGuard<BadRequestTargetError>(BRAND);
