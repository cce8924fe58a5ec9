import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ProblemDetails } from '../proxy/problem-details.js';
import type { CompiledRoute } from '../routing/compiled-route.js';

/** The outcome of a route's throttlers for one request. @internal */
export interface ThrottleOutcome {
  /** `RateLimit-*` headers of the tightest throttler, sent with the answer. */
  readonly headers: Record<string, number>;
  /** Set when a throttler refused the request (429). */
  readonly refused?: ProblemDetails;
}

/**
 * Counts one hit in every throttler of the route (the storage of `@nestjs/throttler`, in memory or Redis),
 * keyed by route and tracker, with the guard's rules (a blocked key is refused until its block expires).
 * The headers describe the throttler with the fewest requests left. @internal
 */
export async function throttleRequest(storage: ThrottlerStorage, route: CompiledRoute, tracker: string): Promise<ThrottleOutcome> {
  // Trackers are bounded already (long subjects hashed, API keys never raw): no need to hash again.
  const key = `${route.id}|${tracker}`;
  const answers = await Promise.all(route.throttlers.map((throttler) => storage.increment(key, throttler.ttl, throttler.limit, throttler.blockDuration, throttler.name)));
  let tightest: Record<string, number> | undefined;
  let tightestRemaining = Infinity;
  for (const [index, answer] of answers.entries()) {
    const throttler = route.throttlers[index];
    if (answer.isBlocked) {
      const retryAfter = Math.max(1, answer.timeToBlockExpire);
      return {
        headers: { 'ratelimit-limit': throttler.limit, 'ratelimit-remaining': 0, 'ratelimit-reset': retryAfter },
        refused: { status: 429, detail: `Too many requests: the limit is ${throttler.limit} per ${throttler.ttl / 1000} s.`, headers: { 'retry-after': retryAfter } },
      };
    }
    const remaining = Math.max(0, throttler.limit - answer.totalHits);
    if (remaining < tightestRemaining) {
      tightestRemaining = remaining;
      tightest = { 'ratelimit-limit': throttler.limit, 'ratelimit-remaining': remaining, 'ratelimit-reset': Math.max(0, answer.timeToExpire) };
    }
  }
  return { headers: tightest ?? {} };
}
