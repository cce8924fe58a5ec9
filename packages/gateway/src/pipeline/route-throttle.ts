import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ProblemDetails } from '../proxy/problem-details.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import { MemoryThrottlerStorage } from '../throttler/memory-throttler.storage.js';
import type { ThrottlerStorageRecord } from '../throttler/throttler-storage-record.js';

/** The outcome of a route's throttlers for one request. @internal */
export interface ThrottleOutcome {
  /** `RateLimit-*` headers of the tightest throttler, sent with the answer. */
  readonly headers: Record<string, number>;
  /** Set when a throttler refused the request: the 429, with `Retry-After` and the `RateLimit-*` headers. */
  readonly refused?: ProblemDetails;
}

/**
 * Counts one hit in every throttler of the route (`@nestjs/throttler`'s storage, keyed by route, throttler and tracker; a
 * blocked key is refused until its block expires); the headers describe the throttler with the fewest requests
 * left. The gateway's own memory storage (its `increment` not overridden) answers without a promise. @internal
 */
export function throttleRequest(storage: ThrottlerStorage, route: CompiledRoute, tracker: string): ThrottleOutcome | Promise<ThrottleOutcome> {
  const { throttlers } = route;
  if (storage instanceof MemoryThrottlerStorage && storage.increment === MemoryThrottlerStorage.prototype.increment) {
    const answers = new Array<ThrottlerStorageRecord>(throttlers.length);
    for (let index = 0; index < throttlers.length; index += 1) {
      const throttler = throttlers[index];
      answers[index] = storage.incrementNow(keyOf(route, throttler.name, tracker), throttler.ttl, throttler.limit, throttler.blockDuration, throttler.name);
    }
    return outcomeOf(route, answers);
  }
  return Promise.all(throttlers.map((throttler) => storage.increment(keyOf(route, throttler.name, tracker), throttler.ttl, throttler.limit, throttler.blockDuration, throttler.name))).then((answers) => outcomeOf(route, answers));
}

/**
 * A throttler's storage key, `<route id>|<throttler>|<tracker>`: one per throttler, as `@nestjs/throttler`'s guard
 * keys them, since a storage may share one key's block between throttler names (`@nestjs/throttler`'s own and the
 * Redis one do). Trackers are bounded already (long subjects hashed, API keys never raw): no need to hash again.
 */
const keyOf = (route: CompiledRoute, throttler: string, tracker: string) => `${route.id}|${throttler}|${tracker}`;

/**
 * The outcome of the route's throttlers from their answers (in the order of `route.throttlers`): refused when any
 * refused, with the longest wait of those (a retry after a shorter one would be refused again).
 */
function outcomeOf(route: CompiledRoute, answers: readonly ThrottlerStorageRecord[]): ThrottleOutcome {
  let tightest: Record<string, number> | undefined;
  let tightestRemaining = Infinity;
  let refused: ThrottleOutcome | undefined;
  let longest = 0;
  for (let index = 0; index < answers.length; index += 1) {
    const answer = answers[index];
    const throttler = route.throttlers[index];
    if (answer.isBlocked) {
      const retryAfter = Math.max(1, answer.timeToBlockExpire);
      if (retryAfter <= longest) continue;
      longest = retryAfter;
      const headers = { 'ratelimit-limit': throttler.limit, 'ratelimit-remaining': 0, 'ratelimit-reset': retryAfter };
      const detail = `Too many requests: the limit is ${throttler.limit} per ${throttler.ttl / 1000} s.`;
      refused = { headers, refused: { status: 429, detail, headers: { 'retry-after': retryAfter, ...headers } } };
      continue;
    }
    const remaining = Math.max(0, throttler.limit - answer.totalHits);
    if (remaining < tightestRemaining) {
      tightestRemaining = remaining;
      tightest = { 'ratelimit-limit': throttler.limit, 'ratelimit-remaining': remaining, 'ratelimit-reset': Math.max(0, answer.timeToExpire) };
    }
  }
  return refused ?? { headers: tightest ?? {} };
}
