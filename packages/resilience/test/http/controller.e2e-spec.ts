import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Header, HttpCode, Injectable, Module, Param, Scope } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { bootNestApp, type HttpPlatform } from '@nestmesh/testing';
import { CircuitBreaker, Fallback, ResilienceHealthIndicator, ResilienceModule, Retry } from '@nestmesh/resilience';

const state = { attempts: 0, failUntil: 0 };

@Injectable({ scope: Scope.REQUEST })
class InventoryClient {
  @Retry({ maxAttempts: 3, backoff: { initialDelay: 1, jitter: false } })
  async stock(sku: string): Promise<{ sku: string; stock: number; attempts: number }> {
    state.attempts++;
    if (state.attempts <= state.failUntil) throw new Error('inventory down');
    return { sku, stock: 7, attempts: state.attempts };
  }
}

@Controller('items')
class ItemsController {
  constructor(private readonly inventory: InventoryClient) {}

  @Get(':sku')
  @Header('x-resilient', 'yes')
  @Fallback((_error: unknown, sku: string) => ({ sku, stock: null, fallback: true }))
  stock(@Param('sku') sku: string) {
    return this.inventory.stock(sku);
  }

  @Get('/teapot/status')
  @HttpCode(202)
  @Retry({ maxAttempts: 2, backoff: { initialDelay: 1, jitter: false } })
  async flaky() {
    state.attempts++;
    if (state.attempts % 2 === 1) throw new Error('odd');
    return { attempts: state.attempts };
  }

  @Get('/broken/always')
  @CircuitBreaker('downstream')
  async broken(): Promise<string> {
    throw new Error('downstream failure');
  }
}

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly resilience: ResilienceHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.resilience.isHealthy()]);
  }
}

@Module({
  imports: [
    TerminusModule,
    ResilienceModule.forRoot({ logEvents: false, policies: { downstream: { circuitBreaker: { consecutiveFailures: 1, halfOpenAfter: 60_000 } } } }),
  ],
  controllers: [ItemsController, HealthController],
  providers: [InventoryClient],
})
class AppModule {}

describe.each<HttpPlatform>(['express', 'fastify'])('HTTP controllers on %s', (platform) => {
  it('wraps route handlers before the router captures them, keeping route metadata', async () => {
    const app = await bootNestApp(AppModule, { platform });
    try {
      state.attempts = 0;
      state.failUntil = 2;
      let response = await fetch(`${app.url}/items/abc`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-resilient')).toBe('yes');
      expect(await response.json()).toEqual({ sku: 'abc', stock: 7, attempts: 3 });

      state.attempts = 0;
      state.failUntil = 10;
      response = await fetch(`${app.url}/items/xyz`);
      expect(await response.json()).toEqual({ sku: 'xyz', stock: null, fallback: true });
      expect(state.attempts).toBe(3);

      state.attempts = 0;
      response = await fetch(`${app.url}/items/teapot/status`);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ attempts: 2 });
    } finally {
      await app.close();
    }
  });

  it('reports open breakers to terminus', async () => {
    const app = await bootNestApp(AppModule, { platform });
    try {
      let response = await fetch(`${app.url}/health`);
      expect(response.status).toBe(200);
      expect((await response.json()) as unknown).toMatchObject({ status: 'ok', info: { 'circuit-breakers': { status: 'up', open: [] } } });

      expect((await fetch(`${app.url}/items/broken/always`)).status).toBe(500);
      response = await fetch(`${app.url}/health`);
      expect(response.status).toBe(503);
      expect((await response.json()) as unknown).toMatchObject({
        status: 'error',
        error: { 'circuit-breakers': { status: 'down', open: ['downstream'], breakers: { downstream: 'open' } } },
      });
    } finally {
      await app.close();
    }
  });
});
