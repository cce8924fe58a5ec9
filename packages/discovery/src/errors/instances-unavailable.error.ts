import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.discovery.InstancesUnavailableError');

/**
 * `getInstances()` had nothing to serve: the registry never answered for this service and no earlier
 * answer is cached. (Once one answer arrived, a later outage serves it as stale instead.)
 */
export class InstancesUnavailableError extends Error {
  override readonly name = 'InstancesUnavailableError';
  readonly [BRAND] = true;

  constructor(
    message: string,
    /** The service that was asked for. */
    readonly serviceName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is an {@link InstancesUnavailableError}, from any copy of this package. */
export const isInstancesUnavailableError = brandGuard<InstancesUnavailableError>(BRAND);
