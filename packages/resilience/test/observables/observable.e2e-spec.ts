import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, Fallback, ResilienceTimeoutError, Retry, Timeout } from '@nestmesh/resilience';
import { Observable, defer, firstValueFrom, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { compile, settle } from '../support/compile.js';

/** Stands in for `ClientProxy.send()`: a cold Observable that "sends" on subscription. */
@Injectable()
class OrdersClient {
  created = 0;
  subscriptions = 0;
  unsubscriptions = 0;
  failures = 0;
  hang = false;

  private send(): Observable<string> {
    this.created++;
    return new Observable<string>((subscriber) => {
      this.subscriptions++;
      const timer = setTimeout(
        () => {
          if (this.failures-- > 0) subscriber.error(new Error('transport error'));
          else {
            subscriber.next('order-1');
            subscriber.complete();
          }
        },
        this.hang ? 10_000 : 10,
      );
      return () => {
        this.unsubscriptions++;
        clearTimeout(timer);
      };
    });
  }

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 100, jitter: false } })
  find(): Observable<string> {
    return this.send();
  }

  @Timeout(100)
  timed(): Observable<string> {
    return this.send();
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 60_000 })
  @Fallback((error: unknown) => of(error instanceof CircuitOpenError ? 'open' : 'failed'))
  guarded(): Observable<string> {
    return this.send();
  }

  @Timeout(1_000)
  stream(): Observable<number> {
    return of(1, 2, 3);
  }

  @Retry({ maxAttempts: 2, backoff: { initialDelay: 10, jitter: false } })
  many(): Observable<number> {
    return defer(() => (this.failures-- > 0 ? throwError(() => new Error('once')) : of(1, 2, 3)));
  }
}

describe('Observable methods', () => {
  let client: OrdersClient;
  let close: () => Promise<void>;

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    const moduleRef = await compile([OrdersClient]);
    client = moduleRef.get(OrdersClient);
    close = () => moduleRef.close();
  });
  afterEach(async () => {
    await close();
    jest.useRealTimers();
  });

  it('returns a cold Observable: nothing happens before subscription', () => {
    const result = client.find();
    expect(result).toBeInstanceOf(Observable);
    expect(client.created).toBe(0);
  });

  it('retries by calling the method and subscribing again', async () => {
    client.failures = 2;
    const value = firstValueFrom(client.find());
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(value).resolves.toBe('order-1');
    expect(client.created).toBe(3);
    expect(client.subscriptions).toBe(3);
  });

  it('applies the policy per subscription', async () => {
    const source = client.find();
    const both = Promise.all([firstValueFrom(source), firstValueFrom(source)]);
    await jest.advanceTimersByTimeAsync(100);
    await expect(both).resolves.toEqual(['order-1', 'order-1']);
    expect(client.subscriptions).toBe(2);
  });

  it('unsubscribes the source at the deadline and errors with a timeout', async () => {
    client.hang = true;
    const outcome = settle(firstValueFrom(client.timed()));
    await jest.advanceTimersByTimeAsync(100);
    expect((await outcome).error).toBeInstanceOf(ResilienceTimeoutError);
    expect(client.unsubscriptions).toBe(1);
  });

  it('unsubscribing from the result unsubscribes the source', async () => {
    client.hang = true;
    const subscription = client.timed().subscribe();
    await jest.advanceTimersByTimeAsync(10);
    subscription.unsubscribe();
    expect(client.unsubscriptions).toBe(1);
  });

  it('counts breaker failures per subscription and falls back with an Observable', async () => {
    client.failures = 1;
    const first = lastValueFrom(client.guarded());
    await jest.advanceTimersByTimeAsync(10);
    await expect(first).resolves.toBe('failed');
    await expect(lastValueFrom(client.guarded())).resolves.toBe('open');
    expect(client.subscriptions).toBe(1);
  });

  it('forwards every value of a multi-value stream, and retries without duplicates', async () => {
    await expect(lastValueFrom(client.stream().pipe(toArray()))).resolves.toEqual([1, 2, 3]);
    client.failures = 1;
    const values = lastValueFrom(client.many().pipe(toArray()));
    await jest.advanceTimersByTimeAsync(100);
    await expect(values).resolves.toEqual([1, 2, 3]);
  });
});
