import { retryAfterMs } from '@nestmesh/common';
import type { Endpoint } from '../balancer/endpoint.js';
import type { ServiceBalancer } from '../balancer/service-balancer.js';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';

/** The longest wait an instance may ask for (`Retry-After`, a TCP rejection's `retryAfter`): 5 minutes. */
export const MAX_INSTANCE_WAIT_MS = 300_000;
/** `@nestmesh/resilience`'s default `retry.backoff.maxDelay`, for retry options that leave it out. */
const DEFAULT_MAX_DELAY_MS = 10_000;

/**
 * @internal Records what an instance asked for: no new calls for `ms` (at most {@link MAX_INSTANCE_WAIT_MS}).
 * `ms` is a `Retry-After` header (seconds or an HTTP date) or a number of milliseconds; anything else is ignored.
 */
export function deferInstance<C>(balancer: ServiceBalancer<C>, endpoint: Endpoint<C>, asked: string | string[] | number | undefined, now: number): void {
  const ms = retryAfterMs(asked);
  if (ms !== undefined) balancer.defer(endpoint, now + Math.min(ms, MAX_INSTANCE_WAIT_MS));
}

/**
 * @internal How long a retry of this call must wait before its next attempt (0: the backoff alone), or
 * `undefined` when it cannot be retried: no instance left, or the instance left asks for longer than the
 * backoff's `maxDelay` or than the deadline leaves (the caller then gets the answer it has at once).
 */
export function retryDelay<C>(balancer: ServiceBalancer<C>, tried: ReadonlySet<Endpoint<C>>, options: ResolvedServiceOptions, deadlineAt: number, now: number): number | undefined {
  const wait = balancer.retryWait(tried, now);
  if (wait === undefined || options.retry === false) return undefined;
  const maxDelay = options.retry.backoff?.maxDelay ?? DEFAULT_MAX_DELAY_MS;
  // Whole milliseconds up: the retry's backoff timer must not fire before the instance's wait is over.
  return wait <= maxDelay && wait < deadlineAt - now ? Math.ceil(wait) : undefined;
}
