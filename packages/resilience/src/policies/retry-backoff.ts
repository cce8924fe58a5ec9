import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import type { ResolvedRetryOptions } from './options.resolver.js';
import { retryAfterOf } from './error-classification.js';

type Context = IRetryBackoffContext<unknown>;

/**
 * @internal cockatiel backoff of `@Retry`: exponential (`initialDelay * exponent^n`, capped at `maxDelay`), a
 * `jitter` fraction of each delay randomised, then raised to the error's `retryAfter` hint, still capped at
 * `maxDelay`.
 */
export class RetryBackoff implements IBackoffFactory<Context> {
  constructor(private readonly options: ResolvedRetryOptions) {}

  next(context: Context): IBackoff<Context> {
    return this.step(0, context);
  }

  private step(retry: number, context: Context): IBackoff<Context> {
    const { initialDelay, maxDelay, exponent, jitter } = this.options;
    const base = Math.min(maxDelay, initialDelay * exponent ** retry);
    let duration = jitter === 0 ? base : base * (1 - jitter * Math.random());
    const hint = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
    if (hint !== undefined) duration = Math.max(duration, hint);
    duration = Math.min(maxDelay, Math.round(duration));
    return { duration, next: (nextContext) => this.step(retry + 1, nextContext) };
  }
}
