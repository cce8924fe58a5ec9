import { ConstantBackoff, ExponentialBackoff, type GeneratorFn, type IBackoff, type IBackoffFactory } from 'cockatiel';
import type { ResolvedCircuitBreakerOptions } from './options.resolver.js';

/**
 * @internal The breaker's `halfOpenAfter` backoff, which cockatiel asks for the open duration as the circuit opens:
 * it records when a probe will pass, for `CircuitOpenError.retryAfter` (and the HTTP `Retry-After` header).
 */
export class HalfOpenClock implements IBackoffFactory<unknown> {
  private readonly inner: IBackoffFactory<unknown>;
  private halfOpenAt = 0;

  constructor(halfOpenAfter: ResolvedCircuitBreakerOptions['halfOpenAfter']) {
    this.inner =
      typeof halfOpenAfter === 'number'
        ? new ConstantBackoff(halfOpenAfter)
        : new ExponentialBackoff({ ...halfOpenAfter, generator: exactGenerator });
  }

  /** Milliseconds until the open circuit lets a probe through (0 when it already would). */
  remaining(now = Date.now()): number {
    return Math.max(0, this.halfOpenAt - now);
  }

  next(context: unknown): IBackoff<unknown> {
    return this.record(this.inner.next(context));
  }

  private record(backoff: IBackoff<unknown>): IBackoff<unknown> {
    this.halfOpenAt = Date.now() + backoff.duration;
    return { duration: backoff.duration, next: (context) => this.record(backoff.next(context)) };
  }
}

/** `initialDelay * exponent^n` capped at `maxDelay`, no jitter (cockatiel's `noJitterGenerator` always uses 2). */
const exactGenerator: GeneratorFn<number> = (attempts = 0, options) => [
  Math.min(options.maxDelay, options.initialDelay * options.exponent ** attempts),
  attempts + 1,
];
