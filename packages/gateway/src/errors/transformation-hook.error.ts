import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.TransformationHookError');

/**
 * A route's `onRequest` or `onResponse` hook threw: the gateway's own failure, answered 500 (problem+json,
 * without the hook's message or stack, which are logged once with the route). `cause` is what the hook threw.
 */
export class TransformationHookError extends Error {
  override readonly name = 'TransformationHookError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 500;

  constructor(
    message: string,
    /** The id of the route whose hook failed. */
    readonly routeId: string,
    /** Which hook failed. */
    readonly hook: 'onRequest' | 'onResponse',
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** True when `error` is a {@link TransformationHookError}, from any copy of this package. */
export const isTransformationHookError = brandGuard<TransformationHookError>(BRAND);
