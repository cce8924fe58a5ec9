// Per-call cost of each decorator and of the full stack, against a bare async call, cockatiel's own
// wrap().execute() with the same policies, and opossum's fire(). Ratios are measured in the same run.
// "vs cockatiel" compares each decorator with raw cockatiel measured in alternating rounds of the same run.
//   npm run bench -- resilience
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Bulkhead,
  CircuitBreaker,
  Fallback,
  ResilienceModule,
  Retry,
  Timeout,
} from '@nestmesh/resilience';
import {
  ConsecutiveBreaker,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import OpossumBreaker from 'opossum';

const work = async (x: number): Promise<number> => x + 1;

@Injectable()
class Target {
  async bare(x: number): Promise<number> {
    return work(x);
  }

  @CircuitBreaker({ consecutiveFailures: 5, halfOpenAfter: 10_000 })
  async breaker(x: number): Promise<number> {
    return work(x);
  }

  @Retry({ maxAttempts: 3 })
  async retry(x: number): Promise<number> {
    return work(x);
  }

  @Retry({ maxAttempts: 3 })
  @CircuitBreaker({ consecutiveFailures: 5, halfOpenAfter: 10_000 })
  async breakerRetry(x: number): Promise<number> {
    return work(x);
  }

  @Timeout(10_000)
  async timeout(x: number): Promise<number> {
    return work(x);
  }

  @Timeout({ ms: 10_000, signalArg: 1 })
  async timeoutArg(x: number, _signal?: AbortSignal): Promise<number> {
    return work(x);
  }

  @Bulkhead({ limit: 100, queue: 0 })
  async bulkhead(x: number): Promise<number> {
    return work(x);
  }

  @Fallback(0)
  async fallback(x: number): Promise<number> {
    return work(x);
  }

  @Fallback(0)
  @Retry({ maxAttempts: 3 })
  @CircuitBreaker({ consecutiveFailures: 5, halfOpenAfter: 10_000 })
  @Timeout(10_000)
  @Bulkhead({ limit: 100, queue: 0 })
  async full(x: number): Promise<number> {
    return work(x);
  }
}

@Module({ imports: [ResilienceModule.forRoot({ logEvents: false })], providers: [Target] })
class BenchModule {}

const ROUNDS = 9;
const TIMEOUT_POLICY_FLOOR = 'TimeoutPolicy+ALS (floor)';
const CALLS = 100_000;

async function measure(fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < CALLS; i++) await fn(i); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(ROUNDS / 2)]!;
}

/** Medians of two variants measured in alternating rounds, so machine noise hits both alike. */
async function measurePair(a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < CALLS; i++) await a(i);
  for (let i = 0; i < CALLS; i++) await b(i);
  const samples: [number[], number[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, fn] of [a, b].entries()) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) await fn(i);
      samples[index]!.push(Number(process.hrtime.bigint() - start) / CALLS);
    }
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return [median(samples[0]), median(samples[1])];
}

/** Counts AbortControllers and timers created while `fn` runs `calls` times. */
async function allocations(fn: (i: number) => Promise<unknown>, calls = 1_000): Promise<{ controllers: number; timers: number }> {
  const Original = globalThis.AbortController;
  const originalSetTimeout = globalThis.setTimeout;
  let controllers = 0;
  let timers = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      controllers++;
    }
  };
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers++;
    return originalSetTimeout(...args);
  }) as typeof setTimeout;
  try {
    for (let i = 0; i < calls; i++) await fn(i);
  } finally {
    globalThis.AbortController = Original;
    globalThis.setTimeout = originalSetTimeout;
  }
  return { controllers: controllers / calls, timers: timers / calls };
}

const newBreaker = () => circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
const newRetry = () => retry(handleAll, { maxAttempts: 2 });
const newTimeout = () => timeout(10_000, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
const newBulkhead = () => bulkhead(100, 0);

/**
 * The floor of a `@Timeout` built on cockatiel's `TimeoutPolicy` (the alternative to the package's own deadline):
 * the policy, the AsyncLocalStorage context that `currentSignal()` reads, and the mapping of cockatiel's
 * `TaskCancelledError` to a timeout error, with no decorator layer around them.
 */
const signalContext = new AsyncLocalStorage<AbortSignal>();
const onTimeoutPolicy = (call: (x: number) => Promise<number>) => {
  const policy = newTimeout();
  return (x: number) => {
    let signal: AbortSignal | undefined;
    return policy
      .execute((context) => signalContext.run((signal = context.signal), () => call(x)))
      .catch((error: unknown) => {
        throw signal?.aborted ? new Error('timed out') : error;
      });
  };
};

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const target = app.get(Target);
  const opossum = new OpossumBreaker((x: number) => target.bare(x), { timeout: false, volumeThreshold: 5, resetTimeout: 10_000 });

  // cockatiel runs the same (undecorated) provider method, so the difference is the decorator layer alone.
  const viaCockatiel = (policy: IPolicy) => (x: number) => policy.execute(() => target.bare(x));
  const bare = await measure((x) => work(x));
  const rows: Array<{ name: string; ns: number; cockatiel?: number; noTimeout: boolean; call: (x: number) => Promise<unknown> }> = [];
  const add = async (name: string, call: (x: number) => Promise<unknown>, raw: ((x: number) => Promise<unknown>) | undefined, noTimeout: boolean) => {
    if (!raw) return void rows.push({ name, ns: await measure(call), noTimeout, call });
    const [ns, cockatiel] = await measurePair(call, raw);
    rows.push({ name, ns, cockatiel, noTimeout, call });
  };

  await add('provider method, undecorated', (x) => target.bare(x), undefined, true);
  await add('@CircuitBreaker', (x) => target.breaker(x), viaCockatiel(newBreaker()), true);
  await add('@Retry', (x) => target.retry(x), viaCockatiel(newRetry()), true);
  await add('@Retry @CircuitBreaker', (x) => target.breakerRetry(x), viaCockatiel(wrap(newRetry(), newBreaker())), true);
  await add('@Timeout', (x) => target.timeout(x), viaCockatiel(newTimeout()), false);
  await add('@Timeout({ signalArg })', (x) => target.timeoutArg(x), viaCockatiel(newTimeout()), false);
  // How the router and microservice listeners call a handler: the prototype's dispatcher, with the instance as `this`.
  const timeoutOnPrototype = Target.prototype.timeout as (this: Target, x: number) => Promise<number>;
  await add('@Timeout, prototype call', (x) => timeoutOnPrototype.call(target, x), viaCockatiel(newTimeout()), false);
  await add('@Bulkhead', (x) => target.bulkhead(x), viaCockatiel(newBulkhead()), true);
  // Not a decorator: what @Timeout would cost at least on cockatiel's TimeoutPolicy (see the README).
  await add(TIMEOUT_POLICY_FLOOR, onTimeoutPolicy((x) => target.bare(x)), viaCockatiel(newTimeout()), false);
  await add('@Fallback', (x) => target.fallback(x), undefined, true);
  await add(
    'full stack (5 decorators)',
    (x) => target.full(x),
    viaCockatiel(wrap(newRetry(), newBreaker(), newTimeout(), newBulkhead())),
    false,
  );
  const opossumNs = await measure((x) => opossum.fire(x));

  console.log(`Node ${process.version}, ${ROUNDS} rounds x ${CALLS} sequential awaited calls, median ns/call`);
  console.log(`bare async call: ${bare.toFixed(0)} ns/call (baseline)`);
  console.log(`opossum fire():  ${opossumNs.toFixed(0)} ns/call (${(opossumNs / bare).toFixed(2)}x bare)\n`);
  console.log(
    ['decorator'.padEnd(28), 'ns/call', 'x bare', 'added ns', 'cockatiel ns', 'vs cockatiel', 'vs opossum', 'AbortCtl/call', 'timers/call'].join(' | '),
  );
  for (const row of rows) {
    const alloc = await allocations(row.call);
    console.log(
      [
        row.name.padEnd(28),
        row.ns.toFixed(0).padStart(7),
        (row.ns / bare).toFixed(2).padStart(6),
        (row.ns - bare).toFixed(0).padStart(8),
        (row.cockatiel?.toFixed(0) ?? '-').padStart(12),
        (row.cockatiel ? `${(((row.ns - row.cockatiel) / row.cockatiel) * 100).toFixed(1)}%` : '-').padStart(12),
        `${(row.ns / opossumNs).toFixed(2)}x`.padStart(10),
        String(alloc.controllers).padStart(13),
        String(alloc.timers).padStart(11),
      ].join(' | '),
    );
  }

  const stack = rows.find((row) => row.name === '@Retry @CircuitBreaker')!;
  const overheads = rows.filter((row) => row.cockatiel !== undefined && row.name !== TIMEOUT_POLICY_FLOOR).map((row) => (row.ns - row.cockatiel!) / row.cockatiel!);
  const leaks = await Promise.all(rows.filter((row) => row.noTimeout).map((row) => allocations(row.call)));
  console.log('\nGoals');
  console.log(`  decorator layer <= 10% over raw cockatiel: worst ${(Math.max(...overheads) * 100).toFixed(1)}%`);
  console.log(`  @Retry @CircuitBreaker <= 1 us/call: ${(stack.ns / 1000).toFixed(3)} us/call`);
  console.log(`  no AbortController or timer per call without @Timeout: ${leaks.every((a) => a.controllers === 0 && a.timers === 0) ? 'yes' : 'NO'}`);
  await app.close();
}

await main();
