import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, ResilienceRegistry, Retry } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const upstream = { calls: 0 };

@Injectable()
class PaymentsService {
  @Retry()
  @CircuitBreaker({ consecutiveFailures: 3, halfOpenAfter: 60_000 })
  async charge(): Promise<string> {
    upstream.calls++;
    throw new Error('payments down');
  }
}

const appOptions = (maxAttempts: number) => ({ logEvents: false, defaults: { retry: { maxAttempts, backoff: { initialDelay: 1, jitter: false } } } });

describe('two apps in one process', () => {
  it('keep their own defaults, breakers and registries, and a closed app reaches no later call', async () => {
    const first = await compile([PaymentsService], appOptions(1));
    const second = await compile([PaymentsService], appOptions(2));
    const one = first.get(PaymentsService);
    const two = second.get(PaymentsService);

    // The first app's defaults: one attempt per call, even though the second app booted last.
    upstream.calls = 0;
    for (let call = 1; call <= 3; call++) {
      await settle(one.charge());
      expect(upstream.calls).toBe(call);
    }
    expect(first.get(ResilienceRegistry).get('PaymentsService.charge', 'circuit-breaker')?.state).toBe('open');
    expect((await settle(one.charge())).error).toBeInstanceOf(CircuitOpenError);

    // The second app's breaker is its own, still closed; its retry default makes two attempts.
    expect(second.get(ResilienceRegistry).get('PaymentsService.charge', 'circuit-breaker')?.state).toBe('closed');
    upstream.calls = 0;
    const failed = await settle(two.charge());
    expect((failed.error as Error).message).toBe('payments down');
    expect(upstream.calls).toBe(2);

    await first.close();
    await second.close();

    // No app is left: the standalone scope (built-in defaults: 3 attempts, a fresh breaker) runs the call.
    upstream.calls = 0;
    const standalone = await settle(new PaymentsService().charge());
    expect(standalone.error).not.toBeInstanceOf(CircuitOpenError);
    expect((standalone.error as Error).message).toBe('payments down');
    expect(upstream.calls).toBe(3);
  });
});
