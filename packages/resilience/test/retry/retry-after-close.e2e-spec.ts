import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { ResiliencePolicyFactory, Retry, isTaskCancelledError } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

/** A database client whose pool is closed with the app: a call after that is a bug of the caller's making. */
@Injectable()
class Db {
  calls = 0;
  closed = false;
  callsAfterClose = 0;

  @Retry({ maxAttempts: 6, backoff: { initialDelay: 100, exponent: 1, jitter: false } })
  async query(): Promise<string> {
    this.calls++;
    if (this.closed) this.callsAfterClose++;
    throw new Error('db down');
  }
}

describe('a retry loop running when its app closes', () => {
  it('starts no further attempt: the call settles with a cancellation at its next retry', async () => {
    const moduleRef = await compile([Db]);
    const db = moduleRef.get(Db);
    const call = settle(db.query());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(db.calls).toBe(1);
    await moduleRef.close();
    db.closed = true;
    const outcome = await call;
    expect(isTaskCancelledError(outcome.error)).toBe(true);
    expect((outcome.error as Error).message).toMatch(/app closed/);
    expect(db.callsAfterClose).toBe(0);
  });

  it("does the same for a policy of the app's ResiliencePolicyFactory (an HTTP client's retries)", async () => {
    const moduleRef = await compile([]);
    const policy = moduleRef.get(ResiliencePolicyFactory).create('db', { retry: { maxAttempts: 6, backoff: { initialDelay: 100, exponent: 1, jitter: false } } });
    let calls = 0;
    let callsAfterClose = 0;
    let closed = false;
    const call = settle(
      policy.execute(() => {
        calls++;
        if (closed) callsAfterClose++;
        throw new Error('db down');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(1);
    await moduleRef.close();
    closed = true;
    const outcome = await call;
    expect(isTaskCancelledError(outcome.error)).toBe(true);
    expect((outcome.error as Error).message).toMatch(/app closed/);
    expect(callsAfterClose).toBe(0);
  });
});
