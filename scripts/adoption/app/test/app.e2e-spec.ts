// The app's own test suite, as a Nest user writes it (@nestjs/testing, Jest): the nestmesh modules must load
// under the app's Jest setup too (each app's package.json says how: see the packages' READMEs, "Testing with Jest").
import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { isCircuitOpenError, ResilienceHealthIndicator } from '@nestmesh/resilience';
import { AppModule } from '../src/app.module.js';
import { OrdersService } from '../src/orders.service.js';

describe('AppModule under Jest', () => {
  it('boots with ResilienceModule and ServiceDiscoveryModule, and the breaker opens after two failures', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const orders = app.get(OrdersService);
      expect(await orders.find('7')).toEqual({ id: '7', status: 'shipped' });
      await expect(orders.find('boom')).rejects.toThrow('upstream failed');
      await expect(orders.find('boom')).rejects.toThrow('upstream failed');
      const rejected = await orders.find('7').catch((error: unknown) => error);
      expect(isCircuitOpenError(rejected)).toBe(true);
      expect(app.get(ResilienceHealthIndicator).isHealthy()['circuit-breakers'].status).toBe('down');
      expect(app.get(ServiceDiscovery)).toBeInstanceOf(ServiceDiscovery);
    } finally {
      await app.close();
    }
  });
});
