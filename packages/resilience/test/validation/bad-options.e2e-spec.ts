import { describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  Bulkhead,
  CircuitBreaker,
  ResilienceConfigurationError,
  ResilienceModule,
  Retry,
  Timeout,
  isResilienceConfigurationError,
  type ResilienceModuleOptions,
} from '@nestmesh/resilience';

const boot = async (provider: Type<unknown>, options: ResilienceModuleOptions = {}) => {
  const moduleRef = await Test.createTestingModule({ imports: [ResilienceModule.forRoot(options)], providers: [provider] })
    .setLogger({ log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} })
    .compile();
  await moduleRef.close();
};

/** A class with one decorated method `OrdersService.place`. */
const service = (decorator: MethodDecorator): Type<unknown> => {
  @Injectable()
  class OrdersService {
    @decorator
    async place(): Promise<void> {}
  }
  return OrdersService;
};

const cases: Array<[string, MethodDecorator, string, string]> = [
  ['maxAttempts 0', Retry({ maxAttempts: 0 }), 'maxAttempts', '0'],
  ['maxAttempts NaN', Retry({ maxAttempts: Number.NaN }), 'maxAttempts', 'NaN'],
  ['maxAttempts Infinity', Retry({ maxAttempts: Infinity }), 'maxAttempts', 'Infinity'],
  ['negative initialDelay', Retry({ backoff: { initialDelay: -1 } }), 'backoff.initialDelay', '-1'],
  ['maxDelay below initialDelay', Retry({ backoff: { initialDelay: 500, maxDelay: 100 } }), 'backoff.maxDelay', '100'],
  ['jitter 2', Retry({ backoff: { jitter: 2 } }), 'backoff.jitter', '2'],
  ['retryOn not a filter', Retry({ retryOn: 'all' as never }), 'retryOn', '"all"'],
  ['unknown retry option', Retry({ attempts: 3 } as never), 'attempts', '3'],
  ['consecutiveFailures 0', CircuitBreaker({ consecutiveFailures: 0 }), 'consecutiveFailures', '0'],
  ['failureRate 1.5', CircuitBreaker({ failureRate: 1.5 }), 'failureRate', '1.5'],
  ['negative window', CircuitBreaker({ failureRate: 0.5, window: -10 }), 'window', '-10'],
  ['minimumThroughput NaN', CircuitBreaker({ failureRate: 0.5, minimumThroughput: Number.NaN }), 'minimumThroughput', 'NaN'],
  ['negative halfOpenAfter', CircuitBreaker({ halfOpenAfter: -5 }), 'halfOpenAfter', '-5'],
  ['halfOpenProbes 0', CircuitBreaker({ halfOpenProbes: 0 }), 'halfOpenProbes', '0'],
  ['both breaker kinds', CircuitBreaker({ consecutiveFailures: 3, failureRate: 0.5 }), 'consecutiveFailures', '3'],
  ['timeout 0', Timeout(0), 'ms', '0'],
  ['timeout NaN', Timeout(Number.NaN), 'ms', 'NaN'],
  ['timeout beyond the largest Node timer', Timeout(2 ** 31), 'ms', '2147483648'],
  ['retry maxDelay beyond the largest Node timer', Retry({ backoff: { maxDelay: 2 ** 31 } }), 'backoff.maxDelay', '2147483648'],
  ['timeout without ms', Timeout(), 'ms', 'not given'],
  ['negative signalArg', Timeout({ ms: 10, signalArg: -1 }), 'signalArg', '-1'],
  ['bulkhead limit 0', Bulkhead({ limit: 0 }), 'limit', '0'],
  ['bulkhead negative queue', Bulkhead({ limit: 1, queue: -1 }), 'queue', '-1'],
  ['bulkhead without limit', Bulkhead(), 'limit', 'not given'],
  ['unknown policy name', CircuitBreaker('nope'), '"nope"', 'ResilienceModule does not define'],
];

describe('bad options fail when the class is defined, or at bootstrap when only the module can tell', () => {
  it.each(cases)('%s', async (_title, decorator, option, value) => {
    // Literal options throw while the class is defined; missing values and policy names at bootstrap.
    const error = await Promise.resolve()
      .then(() => boot(service(decorator)))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(ResilienceConfigurationError);
    expect(isResilienceConfigurationError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^OrdersService\.place: @/);
    expect(message).toContain(option);
    expect(message).toContain(value);
    expect(message).toContain('Fix:');
  });

  it('names the module option path for a bad named policy', async () => {
    await expect(boot(service(Retry('orders')), { policies: { orders: { retry: { maxAttempts: -1 } } } })).rejects.toThrow(
      'ResilienceModule options policies.orders.retry option "maxAttempts" must be an integer >= 1, got -1.',
    );
  });

  it('names the module option path for bad defaults', async () => {
    await expect(boot(service(Retry()), { defaults: { circuitBreaker: { halfOpenAfter: Number.NaN } } })).rejects.toThrow(
      'ResilienceModule options defaults.circuitBreaker option "halfOpenAfter"',
    );
  });

  it.each<[string, ResilienceModuleOptions, string]>([
    ['a null policy section', { policies: { orders: { circuitBreaker: null as never } } }, 'ResilienceModule options policies.orders.circuitBreaker option "options" must be an options object or a policy name, got null.'],
    ['a null default section', { defaults: { retry: null as never } }, 'ResilienceModule options defaults.retry option "options" must be an options object or a policy name, got null.'],
    ['a misspelt openBreakerStatus', { openBreakerStatus: 'dwon' as never }, `ResilienceModule options option "openBreakerStatus" must be 'down', 'degraded' or 'up', got "dwon".`],
    ['a logEvents that is not a boolean', { logEvents: 'no' as never }, 'ResilienceModule options option "logEvents" must be true or false, got "no".'],
  ])('refuses %s at bootstrap, naming it (a null or a typo never falls back to defaults silently)', async (_title, options, message) => {
    await expect(boot(service(CircuitBreaker('orders')), { policies: { orders: {} }, ...options })).rejects.toThrow(message);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a list', []],
    ['a string', 'orders'],
  ])('refuses policies given as %s (it was taken for none, or read letter by letter), naming it', async (_title, policies) => {
    await expect(boot(service(Retry()), { policies } as never)).rejects.toThrow(`ResilienceModule options option "policies" must be an object of named policies, got ${JSON.stringify(policies)}.`);
  });

  it('refuses a signalArg pointing at a parameter declared as something else (the signal would replace that argument)', async () => {
    @Injectable()
    class OrdersService {
      @Timeout({ ms: 1_000, signalArg: 0 })
      async find(id: string, signal?: AbortSignal): Promise<string> {
        return `${id}${signal ? '' : ''}`;
      }
    }
    await expect(boot(OrdersService)).rejects.toThrow(/OrdersService\.find: @Timeout\(\) option "signalArg" must be the index of a parameter declared as AbortSignal, got 0\. Fix: parameter 0 is declared String/);
  });

  it('takes a signalArg pointing at an AbortSignal parameter', async () => {
    @Injectable()
    class OrdersService {
      @Timeout({ ms: 1_000, signalArg: 1 })
      async find(id: string, signal?: AbortSignal): Promise<string> {
        return `${id}${signal ? '' : ''}`;
      }
    }
    await expect(boot(OrdersService)).resolves.toBeUndefined();
  });

  it('lists the known policies when a name is unknown', async () => {
    await expect(boot(service(Bulkhead('ordrs')), { policies: { orders: { bulkhead: { limit: 1 } } } })).rejects.toThrow(
      'known policies: "orders"',
    );
  });
});

describe('valid configurations', () => {
  it('forRoot() and forRoot({}) work with nothing configured', async () => {
    await expect(boot(service(Retry()))).resolves.toBeUndefined();
    const moduleRef = await Test.createTestingModule({ imports: [ResilienceModule.forRoot()], providers: [service(CircuitBreaker())] }).compile();
    await moduleRef.close();
  });

  it('forRootAsync() takes options from a factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ResilienceModule.forRootAsync({ useFactory: () => ({ policies: { orders: { bulkhead: { limit: 2 } } } }) })],
      providers: [service(Bulkhead('orders'))],
    }).compile();
    await moduleRef.close();
  });
});
