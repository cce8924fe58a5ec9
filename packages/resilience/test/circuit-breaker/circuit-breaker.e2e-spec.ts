import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { BadRequestException, Injectable, Scope } from '@nestjs/common';
import { ContextIdFactory } from '@nestjs/core';
import {
  CircuitBreaker,
  CircuitOpenError,
  ResilienceRegistry,
  isBrokenCircuitError,
  isCircuitOpenError,
  type ResilienceEvent,
} from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

/** Shared switch so every instance of a class fails or succeeds together. */
const upstream = { fail: true, calls: 0 };
const call = async (value = 'ok') => {
  upstream.calls++;
  if (upstream.fail) throw new Error('upstream down');
  return value;
};

@Injectable()
class PaymentsClient {
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 1_000 })
  charge(): Promise<string> {
    return call('charged');
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: { initialDelay: 1_000, maxDelay: 4_000 } })
  growing(): Promise<string> {
    return call();
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: { initialDelay: 1_000, maxDelay: 60_000, exponent: 3 } })
  tripling(): Promise<string> {
    return call();
  }

  @CircuitBreaker({ consecutiveFailures: 1 })
  async validate(bad: boolean): Promise<string> {
    if (bad) throw new BadRequestException('bad input');
    return call();
  }
}

@Injectable()
class OrdersA {
  @CircuitBreaker('orders')
  place(): Promise<string> {
    return call('placed');
  }
}

@Injectable()
class OrdersB {
  @CircuitBreaker('orders')
  cancel(): Promise<string> {
    return call('cancelled');
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedClient {
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 1_000 })
  fetch(): Promise<string> {
    return call();
  }
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientClient {
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 1_000 })
  fetch(): Promise<string> {
    return call();
  }
}

@Injectable()
class TransientHostA {
  constructor(readonly client: TransientClient) {}
}

@Injectable()
class TransientHostB {
  constructor(readonly client: TransientClient) {}
}

const options = { logEvents: false, policies: { orders: { circuitBreaker: { consecutiveFailures: 3, halfOpenAfter: 500 } } } };
const providers = [PaymentsClient, { provide: 'SECOND', useClass: PaymentsClient }, OrdersA, OrdersB, RequestScopedClient, TransientClient, TransientHostA, TransientHostB];

describe('@CircuitBreaker', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    upstream.fail = true;
    upstream.calls = 0;
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('goes closed → open → half-open → closed, and half-open → open again on a failed probe', async () => {
    const moduleRef = await compile(providers, options);
    const client = moduleRef.get(PaymentsClient);
    const registry = moduleRef.get(ResilienceRegistry);
    const events: ResilienceEvent[] = [];
    registry.events$.subscribe((event) => events.push(event));
    const state = () => registry.get('PaymentsClient.charge', 'circuit-breaker')?.state;

    expect(state()).toBe('closed');
    await expect(client.charge()).rejects.toThrow('upstream down');
    expect(registry.get('PaymentsClient.charge')?.failures).toBe(1);
    await expect(client.charge()).rejects.toThrow('upstream down');
    expect(state()).toBe('open');

    const open = await settle(client.charge());
    expect(open.error).toBeInstanceOf(CircuitOpenError);
    expect(isCircuitOpenError(open.error)).toBe(true);
    expect(isBrokenCircuitError(open.error)).toBe(true);
    expect((open.error as Error).message).toContain('PaymentsClient.charge');
    expect(upstream.calls).toBe(2);

    // Half-open after 1 s: a failing probe opens it again.
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(client.charge()).rejects.toThrow('upstream down');
    expect(state()).toBe('open');
    await expect(client.charge()).rejects.toBeInstanceOf(CircuitOpenError);

    // Next half-open: a successful probe closes it.
    await jest.advanceTimersByTimeAsync(1_000);
    upstream.fail = false;
    await expect(client.charge()).resolves.toBe('charged');
    expect(state()).toBe('closed');
    expect(events.map((event) => event.type)).toEqual(['break', 'half-open', 'break', 'half-open', 'reset']);
    expect(events[0]).toMatchObject({ kind: 'circuit-breaker', policy: 'PaymentsClient.charge', method: 'PaymentsClient.charge' });
    await moduleRef.close();
  });

  it('shares one breaker per method across instances of the provider', async () => {
    const moduleRef = await compile(providers, options);
    const first = moduleRef.get(PaymentsClient);
    const second = moduleRef.get<PaymentsClient>('SECOND');
    expect(first).not.toBe(second);
    await settle(first.charge());
    await settle(second.charge());
    await expect(first.charge()).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(second.charge()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(upstream.calls).toBe(2);
    await moduleRef.close();
  });

  it('shares one breaker between request-scoped instances', async () => {
    const moduleRef = await compile(providers, options);
    const one = await moduleRef.resolve(RequestScopedClient, ContextIdFactory.create());
    const two = await moduleRef.resolve(RequestScopedClient, ContextIdFactory.create());
    expect(one).not.toBe(two);
    await settle(one.fetch());
    await settle(two.fetch());
    await expect(one.fetch()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(moduleRef.get(ResilienceRegistry).get('RequestScopedClient.fetch')?.state).toBe('open');
    await moduleRef.close();
  });

  it('shares one breaker between transient instances', async () => {
    const moduleRef = await compile(providers, options);
    const a = moduleRef.get(TransientHostA).client;
    const b = moduleRef.get(TransientHostB).client;
    expect(a).not.toBe(b);
    await settle(a.fetch());
    await settle(b.fetch());
    await expect(b.fetch()).rejects.toBeInstanceOf(CircuitOpenError);
    await moduleRef.close();
  });

  it('shares a named breaker between methods of different classes', async () => {
    const moduleRef = await compile(providers, options);
    const a = moduleRef.get(OrdersA);
    const b = moduleRef.get(OrdersB);
    await settle(a.place());
    await settle(b.cancel());
    await settle(a.place());
    const rejected = await settle(b.cancel());
    expect(rejected.error).toBeInstanceOf(CircuitOpenError);
    expect((rejected.error as CircuitOpenError).policy).toBe('orders');
    const snapshot = moduleRef.get(ResilienceRegistry).get('orders', 'circuit-breaker');
    expect(snapshot).toMatchObject({ name: 'orders', state: 'open', failures: 3 });
    expect(snapshot?.methods).toEqual(['OrdersA.place', 'OrdersB.cancel']);
    await jest.advanceTimersByTimeAsync(500);
    upstream.fail = false;
    await expect(b.cancel()).resolves.toBe('cancelled');
    await expect(a.place()).resolves.toBe('placed');
    await moduleRef.close();
  });

  it('grows halfOpenAfter while probes keep failing', async () => {
    const moduleRef = await compile(providers, options);
    const client = moduleRef.get(PaymentsClient);
    await settle(client.growing());
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(client.growing()).rejects.toThrow('upstream down'); // probe 1 fails: next wait 2 s
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(client.growing()).rejects.toBeInstanceOf(CircuitOpenError);
    await jest.advanceTimersByTimeAsync(1_000);
    upstream.fail = false;
    await expect(client.growing()).resolves.toBe('ok');
    await moduleRef.close();
  });

  it('grows the half-open wait by its exponent, and tells the caller how long it remains open', async () => {
    const moduleRef = await compile(providers, options);
    const client = moduleRef.get(PaymentsClient);
    await settle(client.tripling());
    expect(((await settle(client.tripling())).error as CircuitOpenError).retryAfter).toBe(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(client.tripling()).rejects.toThrow('upstream down'); // probe 1 fails: next wait 3 s
    const open = (await settle(client.tripling())).error as CircuitOpenError;
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open.retryAfter).toBe(3_000);
    await jest.advanceTimersByTimeAsync(2_999);
    await expect(client.tripling()).rejects.toBeInstanceOf(CircuitOpenError);
    await jest.advanceTimersByTimeAsync(1);
    upstream.fail = false;
    await expect(client.tripling()).resolves.toBe('ok');
    await moduleRef.close();
  });

  it('does not count caller errors (HTTP 4xx)', async () => {
    const moduleRef = await compile(providers, options);
    const client = moduleRef.get(PaymentsClient);
    for (let i = 0; i < 3; i++) await expect(client.validate(true)).rejects.toBeInstanceOf(BadRequestException);
    expect(moduleRef.get(ResilienceRegistry).get('PaymentsClient.validate')?.state).toBe('closed');
    await expect(client.validate(false)).rejects.toThrow('upstream down');
    expect(moduleRef.get(ResilienceRegistry).get('PaymentsClient.validate')?.state).toBe('open');
    await moduleRef.close();
  });
});
