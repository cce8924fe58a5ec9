import { describe, expect, it } from '@jest/globals';
import { Injectable, Scope } from '@nestjs/common';
import { ContextIdFactory } from '@nestjs/core';
import { CircuitBreaker, ResilienceConfigurationError, Retry } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const upstream = { calls: 0 };

@Injectable()
class LedgerService {
  @Retry()
  async post(): Promise<string> {
    upstream.calls++;
    throw new Error('ledger down');
  }

  @CircuitBreaker('ledger')
  async named(): Promise<string> {
    upstream.calls++;
    return 'unprotected';
  }
}

@Injectable({ scope: Scope.REQUEST })
class PerRequestLedger {
  @Retry()
  async post(): Promise<string> {
    upstream.calls++;
    throw new Error('ledger down');
  }
}

const appOptions = (maxAttempts: number) => ({
  logEvents: false,
  defaults: { retry: { maxAttempts, backoff: { initialDelay: 1, jitter: false } } },
  policies: { ledger: { circuitBreaker: { consecutiveFailures: 5, halfOpenAfter: 60_000 } } },
});

describe('an instance no app adopted, while two apps with its class are live', () => {
  it('runs with the standalone defaults, not those of the last app that booted', async () => {
    const first = await compile([LedgerService, PerRequestLedger], appOptions(1));
    const second = await compile([LedgerService], appOptions(2));
    try {
      upstream.calls = 0;
      const orphan = new LedgerService();
      const outcome = await settle(orphan.post());
      expect((outcome.error as Error).message).toBe('ledger down');
      expect(upstream.calls).toBe(3); // the built-in default of @Retry(); the last app booted would make 2

      // Naming a policy outside every app is still the "not a Nest provider" error, though both apps define it.
      upstream.calls = 0;
      const named = await settle(orphan.named());
      expect(named.error).toBeInstanceOf(ResilienceConfigurationError);
      expect((named.error as Error).message).toContain('is not a Nest provider of an app that imports ResilienceModule');
      expect(upstream.calls).toBe(0);

      // The apps' own instances keep their own defaults.
      for (const [app, attempts] of [[first, 1], [second, 2]] as const) {
        upstream.calls = 0;
        await settle(app.get(LedgerService).post());
        expect(upstream.calls).toBe(attempts);
      }
      upstream.calls = 0;
      const perRequest = await first.resolve(PerRequestLedger, ContextIdFactory.create());
      await settle(perRequest.post());
      expect(upstream.calls).toBe(1); // Nest creates it per request, after bootstrap: still its app's defaults
    } finally {
      await first.close();
      await second.close();
    }
  });
});
