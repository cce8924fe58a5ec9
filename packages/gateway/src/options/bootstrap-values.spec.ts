import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { resolveFailureLimit } from './bootstrap-values.js';

describe('resolveFailureLimit', () => {
  const message = (value: unknown) => {
    try {
      resolveFailureLimit(value as never);
    } catch (error) {
      if (isGatewayConfigurationError(error)) return error.message;
      throw error;
    }
    throw new Error(`${JSON.stringify(value)} was accepted`);
  };

  it('applies the defaults: 20 per minute, blocked for the window; false turns it off', () => {
    expect(resolveFailureLimit(undefined)).toEqual({ limit: 20, ttl: 60_000, blockDuration: 60_000 });
    expect(resolveFailureLimit({ ttl: 30_000 })).toEqual({ limit: 20, ttl: 30_000, blockDuration: 30_000 });
    expect(resolveFailureLimit({ limit: 5, blockDuration: 900_000 })).toEqual({ limit: 5, ttl: 60_000, blockDuration: 900_000 });
    expect(resolveFailureLimit(false)).toBeUndefined();
  });

  it('refuses wrong values, naming the option, the value and the fix (unknown keys: assertModuleOptionKeys)', () => {
    expect(message({ limit: 0 })).toBe('GatewayModule: invalid "auth.failureLimit.limit" 0. Use a whole number of refused credentials, at least 1 (default 20).');
    expect(message({ ttl: '60s' })).toContain('"auth.failureLimit.ttl" "60s". Use a whole number of milliseconds');
    expect(message({ blockDuration: 1.5 })).toContain('"auth.failureLimit.blockDuration" 1.5');
    expect(message(true)).toContain('"auth.failureLimit" true. Use { limit, ttl, blockDuration }');
    expect(message(20)).toContain('or false to turn it off (not recommended)');
  });
});
