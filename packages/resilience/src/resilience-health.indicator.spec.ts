import { describe, expect, it } from '@jest/globals';
import type { ResiliencePolicySnapshot } from './interfaces/resilience-policy-snapshot.interface.js';
import { ResilienceHealthIndicator } from './resilience-health.indicator.js';
import type { ResilienceRegistry } from './resilience.registry.js';

const registry = (snapshots: ResiliencePolicySnapshot[]) => ({ list: () => snapshots }) as unknown as ResilienceRegistry;
const breaker = (name: string, state: ResiliencePolicySnapshot['state']): ResiliencePolicySnapshot => ({
  name,
  kind: 'circuit-breaker',
  target: name,
  methods: [name],
  state,
  failures: 0,
});

describe('ResilienceHealthIndicator', () => {
  it('is up while no breaker is open', () => {
    const indicator = new ResilienceHealthIndicator(registry([breaker('a', 'closed'), breaker('b', 'half-open')]), {});
    expect(indicator.isHealthy()).toEqual({ 'circuit-breakers': { status: 'up', open: [], breakers: { a: 'closed', b: 'half-open' } } });
  });

  it('reports open and isolated breakers as down by default', () => {
    const indicator = new ResilienceHealthIndicator(registry([breaker('a', 'open'), breaker('b', 'isolated')]), {});
    expect(indicator.isHealthy('breakers')).toMatchObject({ breakers: { status: 'down', open: ['a', 'b'] } });
  });

  it('lets the module or the call decide what an open breaker means', () => {
    const indicator = new ResilienceHealthIndicator(registry([breaker('a', 'open')]), { openBreakerStatus: 'degraded' });
    expect(indicator.isHealthy()['circuit-breakers'].status).toBe('degraded');
    expect(indicator.isHealthy('x', 'up').x.status).toBe('up');
  });
});
