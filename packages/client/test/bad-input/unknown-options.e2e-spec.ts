import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { ServiceClientModule, isServiceClientConfigurationError, type ServiceClientModuleOptions } from '@nestmesh/client';
import { rejection } from '../support/client-app.js';

const discovery = ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: {} });

async function bootstrapError(module: Parameters<typeof NestFactory.createApplicationContext>[0]): Promise<Error> {
  const error = await rejection(NestFactory.createApplicationContext(module, { logger: false, abortOnError: false }));
  expect(isServiceClientConfigurationError(error)).toBe(true);
  return error as Error;
}

function registered(clients: unknown): Parameters<typeof NestFactory.createApplicationContext>[0] {
  @Module({ imports: [discovery, ServiceClientModule.register(clients as ServiceClientModuleOptions)] })
  class RegisteredModule {}
  return RegisteredModule;
}

describe('unknown option keys fail the bootstrap, naming the key and the closest valid one', () => {
  it.each<[string, unknown, string]>([
    ['at the top level', { services: { orders: {} }, defualts: { deadline: 1_000 } }, 'ServiceClientModule: unknown option "defualts". Did you mean "defaults"?'],
    ['in defaults', { services: {}, defaults: { deadlin: 1_000 } }, 'ServiceClientModule: unknown option "defaults.deadlin". Did you mean "deadline"?'],
    ['per service', { services: { orders: { stratgy: 'random' } } }, 'ServiceClientModule (service "orders"): unknown option "stratgy". Did you mean "strategy"?'],
    ['in pool', { services: { orders: { pool: { conections: 4 } } } }, 'ServiceClientModule (service "orders"): unknown option "pool.conections". Did you mean "connections"?'],
    ['in outlierDetection', { services: { orders: { outlierDetection: { panicmode: false } } } }, 'unknown option "outlierDetection.panicmode". Did you mean "panicMode"?'],
    ['in retryBudget', { services: { orders: { retryBudget: { precent: 5 } } } }, 'unknown option "retryBudget.precent". Did you mean "percent"?'],
    ['in retry', { services: { orders: { retry: { maxAttemps: 5 } } } }, 'unknown option "retry.maxAttemps". Did you mean "maxAttempts"?'],
    ['in retry.backoff', { services: { orders: { retry: { backoff: { maxDelai: 5 } } } } }, 'unknown option "retry.backoff.maxDelai". Did you mean "maxDelay"?'],
    ['in circuitBreaker', { services: { orders: { circuitBreaker: { halfOpenAftr: 5 } } } }, 'unknown option "circuitBreaker.halfOpenAftr". Did you mean "halfOpenAfter"?'],
    ['in timeout', { services: { orders: { timeout: { milliseconds: 5 } } } }, 'unknown option "timeout.milliseconds". Remove it, or use one of the valid options: ms.'],
  ])('%s', async (_, clients, message) => {
    const error = await bootstrapError(registered(clients));
    expect(error.message).toContain(message);
  });

  it('registerAsync options (from a factory or JSON, with no type check) are checked too', async () => {
    @Module({
      imports: [discovery, ServiceClientModule.registerAsync({ serviceNames: ['orders'], useFactory: () => JSON.parse('{"services":{"orders":{"pool":{"conections":4}}}}') })],
    })
    class AsyncModule {}
    const error = await bootstrapError(AsyncModule);
    expect(error.message).toMatch(
      /^ServiceClientModule \(service "orders"\): unknown option "pool\.conections"\. Did you mean "connections"\? Valid options: connections, keepAliveTimeout, connectTimeout, closeTimeout\./,
    );
  });

  it('module extras (isGlobal) and a custom strategy object are not taken for unknown keys', async () => {
    const strategy = { name: 'first', pick: (endpoints: readonly unknown[]) => endpoints[0] };
    @Module({ imports: [discovery, ServiceClientModule.register({ isGlobal: true, services: { orders: { strategy: strategy as never, headers: { 'x-anything': '1' } } } })] })
    class ValidModule {}
    const app = await NestFactory.createApplicationContext(ValidModule, { logger: false });
    await app.close();
  });
});
