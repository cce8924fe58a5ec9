import { ResiliencePolicyFactory } from '@nestmesh/resilience';
import { runFirstAttemptDirect } from './attempt-loop.js';
import { CallDeadline } from './call-deadline.js';

describe('runFirstAttemptDirect', () => {
  const retrying = () => new ResiliencePolicyFactory().create('first-attempt', { retry: { maxAttempts: 3, backoff: { initialDelay: 1, maxDelay: 1 } } });

  it('answers from a first attempt that succeeds without running the policy', async () => {
    const deadline = new CallDeadline(60_000, undefined, undefined);
    const numbers: number[] = [];
    const value = await runFirstAttemptDirect(retrying(), async ({ attempt }) => (numbers.push(attempt), 'ok'), deadline);
    deadline.clear();
    expect(value).toBe('ok');
    expect(numbers).toEqual([1]);
  });

  it('hands a failed first attempt to the policy as its attempt 1, which retries from attempt 2', async () => {
    const deadline = new CallDeadline(60_000, undefined, undefined);
    const numbers: number[] = [];
    const value = await runFirstAttemptDirect(
      retrying(),
      async ({ attempt }) => {
        numbers.push(attempt);
        if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
        return 'third';
      },
      deadline,
    );
    deadline.clear();
    expect(value).toBe('third');
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('rejects with the last error once the policy gives up, never running attempt 1 twice', async () => {
    const deadline = new CallDeadline(60_000, undefined, undefined);
    const numbers: number[] = [];
    const run = runFirstAttemptDirect(
      retrying(),
      async ({ attempt }) => {
        numbers.push(attempt);
        throw new Error(`attempt ${attempt} failed`);
      },
      deadline,
    );
    await expect(run).rejects.toThrow('attempt 3 failed');
    deadline.clear();
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('leaves a call whose caller already aborted to the policy, which does not start it', async () => {
    const deadline = new CallDeadline(60_000, undefined, AbortSignal.abort());
    let ran = false;
    await expect(runFirstAttemptDirect(retrying(), async () => (ran = true), deadline)).rejects.toThrow();
    deadline.clear();
    expect(ran).toBe(false);
  });
});
