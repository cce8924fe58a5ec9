import { jest } from '@jest/globals';
import { isServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { createStrategy } from './create-strategy.js';
import type { LoadBalancingStrategy } from './load-balancing-strategy.interface.js';
import { RoundRobinStrategy } from './round-robin.strategy.js';

describe('createStrategy', () => {
  it('gives each balancer a fresh built-in, and calls a factory once per balancer (a stateful strategy is never shared)', () => {
    expect(createStrategy('round-robin', 'w')).not.toBe(createStrategy('round-robin', 'w'));
    const factory = jest.fn((): LoadBalancingStrategy => new RoundRobinStrategy());
    const [http, tcp] = [createStrategy(factory, 'w'), createStrategy(factory, 'w')];
    expect(http).toBeInstanceOf(RoundRobinStrategy);
    expect(http).not.toBe(tcp);
    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('refuses a factory that does not return a strategy, naming what it returned', () => {
    let error: unknown;
    try {
      createStrategy(() => 'round-robin' as never, 'ServiceClientModule (service "orders")');
    } catch (caught) {
      error = caught;
    }
    expect(isServiceClientConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('strategy');
    expect((error as Error).message).toContain('"round-robin"');
  });
});
