import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, ResilienceRegistry, Retry } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const calls: string[] = [];

abstract class BaseHttpClient {
  abstract readonly service: string;

  @Retry({ maxAttempts: 2, backoff: { initialDelay: 1, jitter: false } })
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  async get(path: string): Promise<string> {
    calls.push(`${this.service}${path}`);
    throw new Error(`${this.service} down`);
  }
}

@Injectable()
class PaymentsClient extends BaseHttpClient {
  readonly service = 'payments';
}

@Injectable()
class InventoryClient extends BaseHttpClient {
  readonly service = 'inventory';
}

@Injectable()
class ShippingClient extends BaseHttpClient {
  readonly service = 'shipping';

  override async get(path: string): Promise<string> {
    return super.get(`/v2${path}`);
  }
}

describe('decorated methods inherited by subclasses', () => {
  it('give each concrete class its own breaker, named after it', async () => {
    const moduleRef = await compile([PaymentsClient, InventoryClient, ShippingClient]);
    const registry = moduleRef.get(ResilienceRegistry);
    const payments = moduleRef.get(PaymentsClient);
    await settle(payments.get('/charges')); // two attempts: the breaker opens
    expect(registry.get('PaymentsClient.get', 'circuit-breaker')?.state).toBe('open');
    expect(registry.get('InventoryClient.get', 'circuit-breaker')?.state).toBe('closed');
    expect(registry.get('BaseHttpClient.get')).toBeUndefined();
    expect((await settle(payments.get('/charges'))).error).toBeInstanceOf(CircuitOpenError);

    calls.length = 0;
    const inventory = await settle(moduleRef.get(InventoryClient).get('/stock'));
    expect((inventory.error as Error).message).toBe('inventory down');
    expect(calls).toEqual(['inventory/stock', 'inventory/stock']);
    await moduleRef.close();
  });

  it("keep the base method's policies when an override calls super.get()", async () => {
    const moduleRef = await compile([PaymentsClient, InventoryClient, ShippingClient]);
    const shipping = moduleRef.get(ShippingClient);
    calls.length = 0;
    await settle(shipping.get('/labels'));
    expect(calls).toEqual(['shipping/v2/labels', 'shipping/v2/labels']); // retried
    expect(moduleRef.get(ResilienceRegistry).get('ShippingClient.get', 'circuit-breaker')?.state).toBe('open');
    expect((await settle(shipping.get('/labels'))).error).toBeInstanceOf(CircuitOpenError);
    await moduleRef.close();
  });
});
