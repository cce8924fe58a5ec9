import { CircuitState, type IBreaker } from 'cockatiel';

/**
 * @internal The `failureRate` breaker: a cockatiel `IBreaker` over a true sliding window of the last `window` ms.
 * It opens exactly when the window holds at least `minimumThroughput` calls and `failures / calls >= failureRate`,
 * compared in integers (the rate read as the decimal fraction it was written as: `0.3` of 10 calls is 3 failures).
 * cockatiel's `SamplingBreaker` buckets the window, clears one bucket per call and compares floats.
 */
export class WindowBreaker implements IBreaker {
  private readonly numerator: bigint;
  private readonly denominator: bigint;
  /** Times of the calls in the window, oldest first, and whether each failed; `head` is the oldest kept. */
  private times: number[] = [];
  private failed: boolean[] = [];
  private head = 0;
  private failures = 0;

  constructor(
    failureRate: number,
    private readonly window: number,
    private readonly minimumThroughput: number,
    private readonly now: () => number = Date.now,
  ) {
    [this.numerator, this.denominator] = decimalFraction(failureRate);
  }

  /** Failures in the current window (cockatiel serialises this; the registry reads it). */
  get state(): { failures: number; calls: number } {
    this.evict(this.now());
    return { failures: this.failures, calls: this.times.length - this.head };
  }

  set state(_value: unknown) {
    // Deserialised breakers start with an empty window: call times do not survive a restart meaningfully.
    this.clear();
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) return this.clear();
    this.record(false);
  }

  failure(state: CircuitState): boolean {
    if (state === CircuitState.HalfOpen) {
      this.clear();
      return true;
    }
    this.record(true);
    const calls = this.times.length - this.head;
    if (calls < this.minimumThroughput) return false;
    if (BigInt(this.failures) * this.denominator < this.numerator * BigInt(calls)) return false;
    this.clear();
    return true;
  }

  private record(failed: boolean): void {
    const now = this.now();
    this.evict(now);
    this.times.push(now);
    this.failed.push(failed);
    if (failed) this.failures++;
  }

  /** Drops calls older than the window; compacts the arrays once half of them is dead. */
  private evict(now: number): void {
    const oldest = now - this.window;
    while (this.head < this.times.length && this.times[this.head]! <= oldest) {
      if (this.failed[this.head]) this.failures--;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.failed = this.failed.slice(this.head);
      this.head = 0;
    }
  }

  private clear(): void {
    this.times = [];
    this.failed = [];
    this.head = 0;
    this.failures = 0;
  }
}

/** `0.3` → `[3n, 10n]`: the exact decimal fraction a number was written as (its shortest round-trip digits). */
export function decimalFraction(value: number): [bigint, bigint] {
  const [mantissa = '0', exponentText = '0'] = value.toString().toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let numerator = BigInt(whole + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  const exponent = Number(exponentText);
  if (exponent > 0) numerator *= 10n ** BigInt(exponent);
  else if (exponent < 0) denominator *= 10n ** BigInt(-exponent);
  return [numerator, denominator];
}
