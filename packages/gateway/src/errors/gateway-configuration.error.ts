import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.GatewayConfigurationError');

/**
 * Thrown when the gateway's building blocks are given bad options (a malformed CIDR, an algorithm that is not
 * allowed, a limit out of range...). The message names the option, the value, and the fix.
 */
export class GatewayConfigurationError extends Error {
  override readonly name = 'GatewayConfigurationError';
  readonly [BRAND] = true;
}

/** True when `error` is a {@link GatewayConfigurationError}, from any copy of this package. */
export const isGatewayConfigurationError = brandGuard<GatewayConfigurationError>(BRAND);
