import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.discovery.RegistryUnreachableError');

/** The registry (Consul) was unreachable or answered an error; `address` is where, `cause` the underlying error. */
export class RegistryUnreachableError extends Error {
  override readonly name = 'RegistryUnreachableError';
  readonly [BRAND] = true;

  constructor(
    message: string,
    /** The registry address that was tried, e.g. `http://127.0.0.1:8500`. */
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a {@link RegistryUnreachableError}, from any copy of this package. */
export const isRegistryUnreachableError = brandGuard<RegistryUnreachableError>(BRAND);
