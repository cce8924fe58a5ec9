import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.discovery.DiscoveryConfigurationError');

/**
 * Thrown at bootstrap (or when a method is called) for bad input: an invalid service name, a port out of range,
 * a malformed duration, address or meta key. The message names the option, the value, and the fix.
 */
export class DiscoveryConfigurationError extends Error {
  override readonly name = 'DiscoveryConfigurationError';
  readonly [BRAND] = true;
}

/** True when `error` is a {@link DiscoveryConfigurationError}, from any copy of this package. */
export const isDiscoveryConfigurationError = brandGuard<DiscoveryConfigurationError>(BRAND);
