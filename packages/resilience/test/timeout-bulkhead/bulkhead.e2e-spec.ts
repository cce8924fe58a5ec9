import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  Bulkhead,
  BulkheadFullError,
  ResilienceRegistry,
  Timeout,
  currentSignal,
  isBulkheadFullError,
  isBulkheadRejectedError,
  isResilienceTimeoutError,
  type ResilienceEvent,
} from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

interface Gate {
  promise: Promise<string>;
  release: (value: string) => void;
}
const gate = (): Gate => {
  let release!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (release = resolve));
  return { promise, release };
};

@Injectable()
class RenderService {
  running = 0;
  peak = 0;
  gates: Gate[] = [];

  private async work(): Promise<string> {
    const current = gate();
    this.gates.push(current);
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await current.promise;
    } finally {
      this.running--;
    }
  }

  @Bulkhead({ limit: 2, queue: 1 })
  render(): Promise<string> {
    return this.work();
  }

  @Bulkhead({ limit: 1, queue: 1 })
  @Timeout(50)
  slow(): Promise<string> {
    const signal = currentSignal();
    return new Promise((resolve, reject) => {
      const done = this.work().then(resolve, reject);
      signal?.addEventListener('abort', () => reject(new Error('aborted')));
      return done;
    });
  }

  /** Ignores its signal: its slot is freed at the deadline anyway. */
  /** Ignores its signal: its slot stays taken until it settles. */
  @Timeout(50)
  @Bulkhead({ limit: 1, queue: 5 })
  stubborn(): Promise<string> {
    return this.work();
  }

  @Bulkhead('shared')
  a(): Promise<string> {
    return this.work();
  }

  @Bulkhead('shared')
  b(): Promise<string> {
    return this.work();
  }
}

const options = { logEvents: false, policies: { shared: { bulkhead: { limit: 1 } } } };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('@Bulkhead', () => {
  it('runs at most limit calls, queues up to queue, rejects the rest at once, and frees on completion', async () => {
    const moduleRef = await compile([RenderService], options);
    const service = moduleRef.get(RenderService);
    const registry = moduleRef.get(ResilienceRegistry);
    const events: ResilienceEvent[] = [];
    registry.events$.subscribe((event) => events.push(event));

    const first = service.render();
    const second = service.render();
    const queued = service.render();
    await tick();
    expect(service.running).toBe(2);
    expect(registry.get('RenderService.render', 'bulkhead')?.bulkhead).toEqual({ active: 2, queued: 1, limit: 2, queue: 1 });

    const rejected = await settle(service.render());
    expect(rejected.error).toBeInstanceOf(BulkheadFullError);
    expect(isBulkheadFullError(rejected.error)).toBe(true);
    expect(isBulkheadRejectedError(rejected.error)).toBe(true);
    expect((rejected.error as Error).message).toContain('RenderService.render');
    expect(events).toMatchObject([{ type: 'rejection', kind: 'bulkhead', policy: 'RenderService.render' }]);

    service.gates[0]!.release('one');
    await expect(first).resolves.toBe('one');
    await tick();
    expect(service.running).toBe(2); // the queued call took the freed slot
    service.gates[1]!.release('two');
    service.gates[2]!.release('three');
    await expect(Promise.all([second, queued])).resolves.toEqual(['two', 'three']);
    expect(service.peak).toBe(2);
    expect(registry.get('RenderService.render', 'bulkhead')?.bulkhead).toMatchObject({ active: 0, queued: 0 });
    await moduleRef.close();
  });

  it('frees the queue place of a call whose signal aborts (timeout) at once', async () => {
    const moduleRef = await compile([RenderService], options);
    const service = moduleRef.get(RenderService);
    const registry = moduleRef.get(ResilienceRegistry);
    const running = settle(service.slow());
    const waiting = settle(service.slow());
    await tick();
    expect(registry.get('RenderService.slow', 'bulkhead')?.bulkhead).toMatchObject({ active: 1, queued: 1 });
    // Both time out after 50 ms: the queued one leaves the queue, the running one's work is aborted.
    await Promise.all([running, waiting]);
    await tick();
    expect(registry.get('RenderService.slow', 'bulkhead')?.bulkhead).toMatchObject({ active: 0, queued: 0 });
    const next = service.slow();
    await tick();
    service.gates.at(-1)!.release('next');
    await expect(next).resolves.toBe('next');
    await moduleRef.close();
  });

  it('counts running executions, not waiting callers: a timed-out method keeps its slot, queued calls past their deadline never start', async () => {
    const moduleRef = await compile([RenderService], options);
    const service = moduleRef.get(RenderService);
    const registry = moduleRef.get(ResilienceRegistry);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => settle(service.stubborn())));
    for (const outcome of outcomes) expect(isResilienceTimeoutError(outcome.error)).toBe(true);
    expect(service.gates).toHaveLength(1);
    expect(service.peak).toBe(1);
    expect(registry.get('RenderService.stubborn', 'bulkhead')?.bulkhead).toMatchObject({ active: 1, queued: 0 });

    service.gates[0]!.release('late');
    await tick();
    expect(service.gates).toHaveLength(1); // none of the timed-out queued calls started
    expect(registry.get('RenderService.stubborn', 'bulkhead')?.bulkhead).toMatchObject({ active: 0, queued: 0 });
    const next = service.stubborn();
    await tick();
    service.gates.at(-1)!.release('free again');
    await expect(next).resolves.toBe('free again');
    await moduleRef.close();
  });

  it('shares a named bulkhead between methods', async () => {
    const moduleRef = await compile([RenderService], options);
    const service = moduleRef.get(RenderService);
    const a = service.a();
    await expect(service.b()).rejects.toBeInstanceOf(BulkheadFullError);
    await tick();
    service.gates[0]!.release('a');
    await expect(a).resolves.toBe('a');
    const b = service.b();
    await tick();
    service.gates[1]!.release('b');
    await expect(b).resolves.toBe('b');
    await moduleRef.close();
  });
});
