import type { ServiceInstance } from '@nestmesh/discovery';
import { ResiliencePolicyFactory } from '@nestmesh/resilience';
import type { InstanceSource } from '../balancer/instance-source.js';
import { Endpoint } from '../balancer/endpoint.js';
import { ServiceBalancer } from '../balancer/service-balancer.js';
import { resolveServiceOptions } from '../options/resolve-service-options.js';
import { deferInstance, MAX_INSTANCE_WAIT_MS, runFirstAttemptDirect } from './attempt-loop.js';
import { CallDeadline } from './call-deadline.js';

describe('deferInstance', () => {
  // The balancer's instance source is only used once it loads, which these tests never ask for.
  const balancer = new ServiceBalancer<null>(resolveServiceOptions('s'), undefined as unknown as InstanceSource, {
    key: (instance) => instance.id,
    create: () => null,
    close: async () => undefined,
  });
  const endpoint = () => new Endpoint({ id: 'a', name: 's', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false, weight: 1, ports: {} } as ServiceInstance, null);

  it.each<[string | number, number]>([
    ['5', 5_000],
    ['0.5', 500],
    [1_500, 1_500],
    ['86400', MAX_INSTANCE_WAIT_MS],
    [Number.MAX_VALUE, MAX_INSTANCE_WAIT_MS],
  ])('holds the instance for Retry-After %p, at most 5 minutes', (asked, ms) => {
    const held = endpoint();
    deferInstance(balancer, held, asked, 1_000);
    expect(held.notBefore).toBe(1_000 + ms);
  });

  it('reads an HTTP date', () => {
    const held = endpoint();
    deferInstance(balancer, held, new Date(Date.now() + 60_000).toUTCString(), 0);
    expect(held.notBefore).toBeGreaterThan(55_000);
    expect(held.notBefore).toBeLessThanOrEqual(60_000);
  });

  it.each([undefined, '', 'soon', '0', '-3', 0, -1, Number.NaN, Infinity])('ignores %p', (asked) => {
    const held = endpoint();
    deferInstance(balancer, held, asked as string | number | undefined, 1_000);
    expect(held.notBefore).toBe(0);
  });

  it('never shortens a longer wait already asked for', () => {
    const held = endpoint();
    deferInstance(balancer, held, '10', 0);
    deferInstance(balancer, held, '1', 0);
    expect(held.notBefore).toBe(10_000);
  });
});

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
