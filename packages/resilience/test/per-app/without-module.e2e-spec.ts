import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CircuitBreaker, CircuitOpenError, ResilienceConfigurationError, Retry } from '@nestmesh/resilience';
import { settle } from '../support/compile.js';

@Injectable()
class ReportsService {
  calls = 0;

  @Retry({ maxAttempts: 2, backoff: { initialDelay: 1, jitter: false } })
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  async build(): Promise<string> {
    this.calls++;
    throw new Error('reports down');
  }

  @CircuitBreaker('reports')
  async named(): Promise<string> {
    this.calls++;
    return 'unprotected';
  }
}

describe('an app that does not import ResilienceModule', () => {
  it('still runs decorated methods through their policies, with the built-in defaults', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [ReportsService] }).compile();
    const reports = moduleRef.get(ReportsService);
    const first = await settle(reports.build());
    expect((first.error as Error).message).toBe('reports down');
    expect(reports.calls).toBe(2); // retried
    expect((await settle(reports.build())).error).toBeInstanceOf(CircuitOpenError);
    expect(reports.calls).toBe(2);
    await moduleRef.close();
  });

  it('fails a method naming a policy no module defines, naming the method and the fix, without running it', async () => {
    const reports = new ReportsService();
    const outcome = await settle(reports.named());
    expect(outcome.error).toBeInstanceOf(ResilienceConfigurationError);
    expect((outcome.error as Error).message).toMatch(/^ReportsService\.named: @CircuitBreaker\("reports"\) names the policy "reports"/);
    expect((outcome.error as Error).message).toContain('but this ReportsService is not a Nest provider of an app that imports ResilienceModule');
    expect((outcome.error as Error).message).toContain('Fix:');
    expect(reports.calls).toBe(0);
  });
});
