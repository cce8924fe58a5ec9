import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, ResilienceRegistry } from '@nestmesh/resilience';
import type { TestingModule } from '@nestjs/testing';
import { compile, settle } from '../support/compile.js';

@Injectable()
class SearchClient {
  fail = false;

  @CircuitBreaker({ failureRate: 0.3, window: 30_000, minimumThroughput: 10, halfOpenAfter: 60_000 })
  async search(): Promise<string> {
    if (this.fail) throw new Error('search down');
    return 'results';
  }

  @CircuitBreaker({ failureRate: 0.5, window: 5_000, minimumThroughput: 4, halfOpenAfter: 60_000 })
  async suggest(): Promise<string> {
    if (this.fail) throw new Error('suggest down');
    return 'suggestions';
  }
}

describe('failureRate breaker', () => {
  let moduleRef: TestingModule;
  let client: SearchClient;
  let registry: ResilienceRegistry;
  beforeEach(async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    moduleRef = await compile([SearchClient]);
    client = moduleRef.get(SearchClient);
    registry = moduleRef.get(ResilienceRegistry);
  });
  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('opens exactly when the thresholds are met: 3 failures in 10 calls is a rate of 0.3', async () => {
    for (let i = 0; i < 7; i++) await client.search();
    client.fail = true;
    await settle(client.search());
    await settle(client.search());
    expect(registry.get('SearchClient.search', 'circuit-breaker')?.state).toBe('closed');
    await settle(client.search()); // the 10th call, the 3rd failure
    expect(registry.get('SearchClient.search', 'circuit-breaker')?.state).toBe('open');
  });

  it('does not open below minimumThroughput calls in the window', async () => {
    client.fail = true;
    for (let i = 0; i < 9; i++) await settle(client.search());
    expect(registry.get('SearchClient.search', 'circuit-breaker')?.state).toBe('closed');
    await settle(client.search());
    expect(registry.get('SearchClient.search', 'circuit-breaker')?.state).toBe('open');
  });

  it('forgets calls older than the window', async () => {
    client.fail = true;
    for (let i = 0; i < 3; i++) await settle(client.suggest());
    expect(registry.get('SearchClient.suggest', 'circuit-breaker')?.failures).toBe(3);
    jest.setSystemTime(Date.now() + 60_000);
    await settle(client.suggest()); // 1 call in the last 5 s: below minimumThroughput
    expect(registry.get('SearchClient.suggest', 'circuit-breaker')?.state).toBe('closed');
    expect(registry.get('SearchClient.suggest', 'circuit-breaker')?.failures).toBe(1);
  });
});
