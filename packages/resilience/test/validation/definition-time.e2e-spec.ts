import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  Bulkhead,
  CircuitBreaker,
  Fallback,
  ResilienceConfigurationError,
  ResilienceModule,
  Retry,
  Timeout,
  isResilienceConfigurationError,
} from '@nestmesh/resilience';
import { settle } from '../support/compile.js';

/** Defines a class with one decorated method `InvoicesService.send` and returns it. */
const define = (decorator: MethodDecorator) => {
  @Injectable()
  class InvoicesService {
    calls = 0;
    @decorator
    async send(): Promise<string> {
      this.calls++;
      return 'sent';
    }
  }
  return InvoicesService;
};

const definitionError = (defineClass: () => unknown): Error => {
  try {
    defineClass();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the class was defined without an error');
};

const cases: Array<[string, () => MethodDecorator, string, string, string]> = [
  ['@Retry maxAttempts 0', () => Retry({ maxAttempts: 0 }), '@Retry()', 'maxAttempts', '0'],
  ['@Retry maxDelay below its own initialDelay', () => Retry({ backoff: { initialDelay: 500, maxDelay: 100 } }), '@Retry()', 'backoff.maxDelay', '100'],
  ['@Retry jitter 2', () => Retry({ backoff: { jitter: 2 } }), '@Retry()', 'backoff.jitter', '2'],
  ['@CircuitBreaker consecutiveFailures 0', () => CircuitBreaker({ consecutiveFailures: 0 }), '@CircuitBreaker()', 'consecutiveFailures', '0'],
  ['@CircuitBreaker failureRate 1.5', () => CircuitBreaker({ failureRate: 1.5 }), '@CircuitBreaker()', 'failureRate', '1.5'],
  ['@CircuitBreaker both kinds', () => CircuitBreaker({ consecutiveFailures: 3, failureRate: 0.5 }), '@CircuitBreaker()', 'failureRate', '0.5'],
  ['@Timeout 0', () => Timeout(0), '@Timeout()', 'ms', '0'],
  ['@Timeout NaN', () => Timeout(Number.NaN), '@Timeout()', 'ms', 'NaN'],
  ['@Timeout negative signalArg', () => Timeout({ ms: 10, signalArg: -1 }), '@Timeout()', 'signalArg', '-1'],
  ['@Bulkhead limit 0', () => Bulkhead({ limit: 0 }), '@Bulkhead()', 'limit', '0'],
  ['@Bulkhead negative queue', () => Bulkhead({ limit: 1, queue: -1 }), '@Bulkhead()', 'queue', '-1'],
];

describe('a decorator with an invalid literal option fails when the class is defined', () => {
  it.each(cases)('%s', (_title, decorator, label, option, value) => {
    const error = definitionError(() => define(decorator()));
    expect(error).toBeInstanceOf(ResilienceConfigurationError);
    expect(isResilienceConfigurationError(error)).toBe(true);
    expect(error.message.startsWith(`InvoicesService.send: ${label} `)).toBe(true);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toContain(value);
    expect(error.message).toContain('Fix:');
  });

  it('names the declaring class of a static method too', () => {
    const error = definitionError(() => {
      class Jobs {
        @Retry({ maxAttempts: -2 })
        static async run(): Promise<void> {}
      }
      return Jobs;
    });
    expect(error.message).toMatch(/^Jobs\.run: @Retry\(\) option "maxAttempts" must be an integer >= 1, got -2\./);
  });

  it('rejects a policy name on a static method: no app provides a class itself, so the name could never resolve', () => {
    const error = definitionError(() => {
      class Jobs {
        @Retry('orders')
        static async run(): Promise<void> {}
      }
      return Jobs;
    });
    expect(error).toBeInstanceOf(ResilienceConfigurationError);
    expect(error.message).toMatch(/^Jobs\.run: @Retry\("orders"\) names a policy on a static method, which runs outside any app\. Fix: give the options themselves/);
  });

  it('rejects a decorator on an accessor or a property, which it could not protect', () => {
    const onGetter = definitionError(() => {
      class Prices {
        @Retry({ maxAttempts: 2 })
        get latest(): Promise<number> {
          return Promise.resolve(1);
        }
      }
      return Prices;
    });
    expect(onGetter).toBeInstanceOf(ResilienceConfigurationError);
    expect(onGetter.message).toMatch(/^Prices\.latest: @Retry\(\) is on an accessor, not a method/);
    const onProperty = definitionError(() => {
      class Prices {
        // A property decorator gets no descriptor (plain JavaScript, or a cast, lets this through).
        @(Fallback(0) as unknown as PropertyDecorator)
        latest = 1;
      }
      return Prices;
    });
    expect(onProperty).toBeInstanceOf(ResilienceConfigurationError);
    expect(onProperty.message).toMatch(/^Prices\.latest: @Fallback\(\) is on a property, not a method/);
  });

  it('rejects a decorator on a generator method, whose work runs after the call returns, outside any policy', () => {
    const onAsyncGenerator = definitionError(() => {
      class Pages {
        @Retry({ maxAttempts: 2 })
        async *all(): AsyncGenerator<number> {
          yield 1;
        }
      }
      return Pages;
    });
    expect(onAsyncGenerator).toBeInstanceOf(ResilienceConfigurationError);
    expect(onAsyncGenerator.message).toMatch(/^Pages\.all: @Retry\(\) is on a generator method: its work runs while the caller iterates, after the call returned, so no policy would cover it\. Fix: /);
    const onGenerator = definitionError(() => {
      class Pages {
        @Timeout(100)
        *all(): Generator<number> {
          yield 1;
        }
      }
      return Pages;
    });
    expect(onGenerator.message).toMatch(/^Pages\.all: @Timeout\(\) is on a generator method/);
  });

  it('rejects the same decorator written twice on one method (one of them would be ignored)', () => {
    const error = definitionError(() => {
      class Mailer {
        @Fallback('queued')
        @Retry({ maxAttempts: 2 })
        @Fallback(null)
        async send(): Promise<string> {
          return 'sent';
        }
      }
      return Mailer;
    });
    expect(error).toBeInstanceOf(ResilienceConfigurationError);
    expect(error.message).toMatch(/^Mailer\.send: @Fallback\(\) is written twice on the same method/);
  });

  it('fails at definition even in an app that never imports ResilienceModule (no call needed)', async () => {
    expect(() => define(Retry({ maxAttempts: 0 }))).toThrow(ResilienceConfigurationError);
    // A valid class in the same kind of app still boots and runs.
    const Valid = define(Retry({ maxAttempts: 2 }));
    const moduleRef = await Test.createTestingModule({ providers: [Valid] }).compile();
    await expect(moduleRef.get(Valid).send()).resolves.toBe('sent');
    await moduleRef.close();
  });
});

describe('what only the module can say is still checked at bootstrap', () => {
  const quiet = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };
  const boot = (provider: ReturnType<typeof define>, options: Parameters<typeof ResilienceModule.forRoot>[0]) =>
    Test.createTestingModule({ imports: [ResilienceModule.forRoot(options)], providers: [provider] }).setLogger(quiet).compile();

  it('accepts @Timeout() and @Bulkhead() without a value at definition: the module defaults may give it', async () => {
    const Timed = define(Timeout());
    const Limited = define(Bulkhead());
    const moduleRef = await Test.createTestingModule({
      imports: [ResilienceModule.forRoot({ defaults: { timeout: { ms: 5_000 }, bulkhead: { limit: 2 } } })],
      providers: [Timed, Limited],
    }).compile();
    await expect(moduleRef.get(Timed).send()).resolves.toBe('sent');
    await moduleRef.close();
    await expect(boot(define(Timeout()), {})).rejects.toThrow(/InvoicesService\.send: @Timeout\(\) option "ms" is required/);
  });

  it('accepts a literal that is only wrong against the app defaults at definition, and fails that bootstrap', async () => {
    // maxDelay 50 is fine with defaults.retry.backoff.initialDelay 10, and wrong with an initialDelay of 100.
    const Fine = define(Retry({ backoff: { maxDelay: 50 } }));
    const moduleRef = await boot(Fine, { defaults: { retry: { backoff: { initialDelay: 10 } } } });
    await moduleRef.close();
    await expect(boot(define(Retry({ backoff: { maxDelay: 50 } })), { defaults: { retry: { backoff: { initialDelay: 100 } } } })).rejects.toThrow(
      'InvoicesService.send: @Retry() option "backoff.maxDelay" must be a finite number >= 100, got 50.',
    );
  });

  it('checks policy names at bootstrap, and without the module at the call, saying the class is not a Nest provider', async () => {
    const Named = define(CircuitBreaker('invoices'));
    await expect(boot(Named, { policies: { billing: { circuitBreaker: {} } } })).rejects.toThrow(
      'InvoicesService.send: @CircuitBreaker("invoices") names the policy "invoices", which ResilienceModule does not define (known policies: "billing")',
    );
    const instance = new Named();
    const outcome = await settle(instance.send());
    expect(outcome.error).toBeInstanceOf(ResilienceConfigurationError);
    const message = (outcome.error as Error).message;
    expect(message).toMatch(/^InvoicesService\.send: @CircuitBreaker\("invoices"\) names the policy "invoices", but this InvoicesService is not a Nest provider/);
    expect(message).toContain('app.get(InvoicesService)');
    expect(message).not.toContain('does not define');
    expect(instance.calls).toBe(0);
  });
});
