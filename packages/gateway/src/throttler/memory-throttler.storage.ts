import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from './throttler-storage-record.js';

/** One key's state: its counted hits (expiry times, oldest first, from `head`), window and block. */
interface KeyState {
  hits: number[];
  head: number;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * The gateway's default throttler storage, in this process, with the rules of `@nestjs/throttler`'s own memory
 * storage (and `RedisThrottlerStorage`'s) in amortised O(1) per hit and no timer per hit (throttler's prunes every
 * hit on each call and keeps a timer per hit). Idle keys are swept every `sweepInterval` (default 10 s); at most
 * `maxKeys` (default 100,000) are kept, the least recently seen going first.
 *
 * @example
 * GatewayModule.forRoot({ routes, throttlers, throttlerStorage: new MemoryThrottlerStorage({ maxKeys: 50_000 }) })
 */
export class MemoryThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly keys = new Map<string, KeyState>();
  private readonly maxKeys: number;
  private readonly clock: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(options: { maxKeys?: number; sweepInterval?: number; clock?: () => number } = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.clock = options.clock ?? Date.now;
    this.timer = setInterval(() => this.sweep(), options.sweepInterval ?? 10_000).unref();
  }

  /** Keys followed now. */
  get size(): number {
    return this.keys.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return this.incrementNow(key, ttl, limit, blockDuration, throttlerName);
  }

  /** {@link increment} answered at once (the gateway's request path uses it: no promise per throttler). */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottlerStorageRecord {
    const id = `${throttlerName}\0${key}`;
    const now = this.clock();
    let state = this.keys.get(id);
    if (state) this.keys.delete(id); // re-inserted below: the map stays ordered by last use
    else {
      state = { hits: [], head: 0, expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    }
    this.keys.set(id, state);
    const { hits } = state;
    while (state.head < hits.length && hits[state.head] <= now) state.head += 1;
    if (state.head > 1024 && state.head * 2 > hits.length) {
      hits.splice(0, state.head);
      state.head = 0;
    }
    const totalHits = hits.length - state.head;
    if (state.expiresAt <= now) state.expiresAt = now + ttl;
    const timeToExpire = seconds(state.expiresAt - now);
    if (blockDuration <= 0) {
      // Without a block duration a request over the limit is refused but not counted (a sliding log).
      if (totalHits < limit) {
        hits.push(now + ttl);
        return { totalHits: totalHits + 1, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
      }
      const oldest = hits[state.head];
      return { totalHits: totalHits + 1, timeToExpire, isBlocked: true, timeToBlockExpire: oldest === undefined ? timeToExpire : seconds(oldest - now) };
    }
    if (!state.isBlocked) {
      hits.push(now + ttl);
      if (totalHits + 1 > limit) {
        state.isBlocked = true;
        state.blockExpiresAt = now + blockDuration;
      }
    }
    const timeToBlockExpire = seconds(state.blockExpiresAt - now);
    if (timeToBlockExpire <= 0 && state.isBlocked) {
      // The block is over: start again from this one hit.
      state.isBlocked = false;
      hits.length = 0;
      state.head = 0;
      hits.push(now + ttl);
    }
    return { totalHits: hits.length - state.head, timeToExpire, isBlocked: state.isBlocked, timeToBlockExpire };
  }

  /**
   * Seconds left of the block of `key` for `throttlerName` (rounded up), 0 when it is not blocked; counts no hit.
   * The gateway's `auth.failureLimit` reads blocks with it on every request carrying a credential.
   */
  blockedFor(key: string, throttlerName: string): number {
    const state = this.keys.get(`${throttlerName}\0${key}`);
    return state?.isBlocked ? Math.max(0, seconds(state.blockExpiresAt - this.clock())) : 0;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.keys.clear();
  }

  /** Drops keys whose hits, window and block are all over. */
  private sweep(): void {
    const now = this.clock();
    for (const [id, state] of this.keys) {
      const lastHit = state.hits.length > state.head ? state.hits[state.hits.length - 1] : 0;
      if (lastHit <= now && state.blockExpiresAt <= now && state.expiresAt <= now) this.keys.delete(id);
    }
  }
}
