import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Bulkhead, CircuitBreaker, ResilienceModule, Retry, Timeout, isResilienceConfigurationError, type ResilienceModuleOptions } from '@nestmesh/resilience';

const quiet = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };

async function bootError(providers: Type<unknown>[], options: unknown = {}): Promise<Error> {
  const error = await Test.createTestingModule({ imports: [ResilienceModule.forRoot(options as ResilienceModuleOptions)], providers })
    .setLogger(quiet)
    .compile()
    .then(
      async (moduleRef) => {
        await moduleRef.close();
        return undefined;
      },
      (caught: unknown) => caught,
    );
  expect(isResilienceConfigurationError(error)).toBe(true);
  return error as Error;
}

/** A class with one decorated method `OrdersService.place`. */
const service = (decorator: MethodDecorator): Type<unknown> => {
  @Injectable()
  class OrdersService {
    @decorator
    async place(): Promise<void> {}
  }
  return OrdersService;
};

describe('unknown option keys fail (a decorator when the class is defined, module options at bootstrap), naming Class.method (or the module option path), the key and the closest valid key', () => {
  it.each<[string, MethodDecorator, string]>([
    ['@Retry', Retry({ maxAttemps: 3 } as never), 'OrdersService.place: @Retry() has an unknown option "maxAttemps" (3). Did you mean "maxAttempts"?'],
    ['@Retry backoff', Retry({ backoff: { intialDelay: 10 } } as never), 'OrdersService.place: @Retry() has an unknown option "backoff.intialDelay" (10). Did you mean "initialDelay"?'],
    ['@CircuitBreaker', CircuitBreaker({ halfOpenAftr: 1_000 } as never), 'OrdersService.place: @CircuitBreaker() has an unknown option "halfOpenAftr" (1000). Did you mean "halfOpenAfter"?'],
    ['@CircuitBreaker halfOpenAfter', CircuitBreaker({ halfOpenAfter: { initialDelay: 1, maxDelai: 2 } } as never), 'has an unknown option "halfOpenAfter.maxDelai" (2). Did you mean "maxDelay"?'],
    ['@Timeout', Timeout({ ms: 100, signalArgs: 1 } as never), 'OrdersService.place: @Timeout() has an unknown option "signalArgs" (1). Did you mean "signalArg"?'],
    ['@Bulkhead', Bulkhead({ limit: 2, queu: 1 } as never), 'OrdersService.place: @Bulkhead() has an unknown option "queu" (1). Did you mean "queue"?'],
  ])('%s', (_, decorator, message) => {
    // A decorator's own literal options are checked when the class is defined, with or without the module.
    let error: unknown;
    try {
      service(decorator);
    } catch (caught) {
      error = caught;
    }
    expect(isResilienceConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain('Valid options: ');
  });

  it.each<[string, unknown, string]>([
    ['the top level', { logEvent: false }, 'ResilienceModule options has an unknown option "logEvent" (false). Did you mean "logEvents"?'],
    ['defaults', { defaults: { retri: {} } }, 'ResilienceModule options has an unknown option "defaults.retri" ({}). Did you mean "retry"?'],
    ['defaults.timeout without ms', { defaults: { timeout: { mss: 5 } } }, 'ResilienceModule options defaults.timeout has an unknown option "mss" (5). Did you mean "ms"?'],
    ['defaults.bulkhead without limit', { defaults: { bulkhead: { queu: 5 } } }, 'ResilienceModule options defaults.bulkhead has an unknown option "queu" (5). Did you mean "queue"?'],
    ['a policy', { policies: { orders: { circuitBreakers: {} } } }, 'ResilienceModule options has an unknown option "policies.orders.circuitBreakers" ({}). Did you mean "circuitBreaker"?'],
    ['a policy section', { policies: { orders: { retry: { maxAttemps: 2 } } } }, 'ResilienceModule options policies.orders.retry has an unknown option "maxAttemps" (2). Did you mean "maxAttempts"?'],
  ])('ResilienceModule options: %s', async (_, options, message) => {
    const error = await bootError([], options);
    expect(error.message).toContain(message);
  });

  it('forRootAsync options (from a factory or JSON, with no type check) are checked too', async () => {
    @Module({ imports: [ResilienceModule.forRootAsync({ useFactory: () => JSON.parse('{"policies":{"orders":{"retry":{"maxAttemps":2}}}}') })] })
    class AsyncModule {}
    const error = await NestFactory.createApplicationContext(AsyncModule, { logger: false, abortOnError: false }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(isResilienceConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('policies.orders.retry has an unknown option "maxAttemps" (2). Did you mean "maxAttempts"?');
  });
});
