import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { HeaderMap } from '../edge/header-map.js';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { messages } from '../errors/messages.constants.js';
import type { ResolvedFailureLimit } from '../options/bootstrap-values.js';
import { TooManyAuthenticationFailuresError } from '../errors/too-many-authentication-failures.error.js';
import { clientIpTracker } from '../throttler/throttler-keys.js';
import type { AuthenticationMode, Authenticator } from './authenticator.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';

/**
 * Storage keys and throttler names. Route throttler keys are `<route id>|<throttler>|<tracker>`: these hold no `|`, so no
 * route can collide with them, in memory or in Redis (where a key's state is shared by its throttler names).
 */
const FAILURES = { key: 'auth-failure:', name: 'auth-failures' } as const;
const BLOCKED = { key: 'auth-blocked:', name: 'auth-blocked' } as const;

/** A storage that tells, without counting a hit, how long a key stays blocked (`MemoryThrottlerStorage`, `RedisThrottlerStorage`). */
interface BlockReader {
  blockedFor(key: string, throttlerName: string): number | Promise<number>;
}

/** Blocked addresses remembered in this process, so a blocked client costs no storage call. */
const DEFAULT_MAX_REMEMBERED = 10_000;

/** Client addresses whose tracker is kept (an IPv6 /64 costs microseconds to compute); cleared when full. */
const MAX_TRACKERS = 4_096;

/**
 * Rate limit of refused credentials per client address (`auth.failureLimit`), around the {@link Authenticator}.
 *
 * A refused credential (a 401 but for a missing one) counts a hit of `auth-failure:<address>` in the throttler
 * storage (`limit` per `ttl`, then blocked for `blockDuration`); the one over the limit gets 429, and the block is
 * also written to `auth-blocked:<address>`, which every request carrying a credential reads first: a blocked address
 * gets 429 before any verification, from every gateway sharing the storage, whatever the credential (a right guess
 * then tells the attacker nothing). A success neither counts nor resets the count. Blocks learnt are kept in a
 * bounded local memo, so a blocked address costs one map lookup. @internal
 */
export class FailedAuthenticationLimiter {
  private readonly logger = new Logger('GatewayModule');
  private readonly blockedUntil = new Map<string, number>();
  private readonly reader: BlockReader | undefined;
  private readonly trackers = new Map<string, string>();

  constructor(
    private readonly authenticator: Authenticator,
    private readonly storage: ThrottlerStorage | undefined,
    private readonly limit: ResolvedFailureLimit | undefined,
    private readonly clock: () => number = Date.now,
    private readonly maxRemembered = DEFAULT_MAX_REMEMBERED,
  ) {
    const reader = storage as Partial<BlockReader> | undefined;
    this.reader = typeof reader?.blockedFor === 'function' ? (reader as BlockReader) : undefined;
  }

  /**
   * `Authenticator.authenticate()` for a request from `client` (the address the edge resolved): a
   * {@link TooManyAuthenticationFailuresError} (429) when that address is blocked, or when this refusal takes it
   * over the limit; else the authenticator's own answer or error.
   */
  authenticate(headers: HeaderMap, mode: AuthenticationMode, client: string | undefined): VerifiedIdentity | undefined | Promise<VerifiedIdentity | undefined> {
    if (!this.limit || !this.storage || !this.authenticator.presentsCredential(headers)) return this.authenticator.authenticateNow(headers, mode);
    const tracker = this.trackerOf(client);
    const blocked = this.remembered(tracker);
    if (blocked > 0) throw this.refusal(tracker, blocked);
    const read = this.reader ? this.reader.blockedFor(BLOCKED.key + tracker, BLOCKED.name) : this.probe(tracker);
    // No promise for a storage in this process (the memory storage reads a block synchronously).
    if (typeof read !== 'number') return read.then((seconds) => this.unlessBlocked(headers, mode, tracker, seconds));
    return this.unlessBlocked(headers, mode, tracker, read);
  }

  /** The authenticator's answer when `tracker` is not blocked (`seconds` 0); a refused credential is counted. */
  private unlessBlocked(headers: HeaderMap, mode: AuthenticationMode, tracker: string, seconds: number): VerifiedIdentity | undefined | Promise<VerifiedIdentity | undefined> {
    if (seconds > 0) throw this.refusal(tracker, this.remember(tracker, seconds));
    let answer: VerifiedIdentity | undefined | Promise<VerifiedIdentity>;
    try {
      answer = this.authenticator.authenticateNow(headers, mode);
    } catch (error) {
      return this.counted(tracker, error);
    }
    return answer instanceof Promise ? answer.catch((error: unknown) => this.counted(tracker, error)) : answer;
  }

  /** Rethrows `error`; a refused credential (not a missing one) is counted first, and may become the 429. */
  private async counted(tracker: string, error: unknown): Promise<never> {
    if (!isAuthenticationFailedError(error) || error.reason === 'missing') throw error;
    const retryAfter = await this.countFailure(tracker);
    throw retryAfter > 0 ? this.refusal(tracker, retryAfter, error) : error;
  }

  /** `ip:<address>` (IPv6 by /64), or `unknown`. */
  private trackerOf(client: string | undefined): string {
    if (client === undefined) return 'unknown';
    let tracker = this.trackers.get(client);
    if (tracker === undefined) {
      tracker = clientIpTracker(client) ?? 'unknown';
      if (this.trackers.size >= MAX_TRACKERS) this.trackers.clear();
      this.trackers.set(client, tracker);
    }
    return tracker;
  }

  /** Seconds left of a block this process knows of, else 0. */
  private remembered(tracker: string): number {
    const until = this.blockedUntil.get(tracker);
    if (until === undefined) return 0;
    const left = until - this.clock();
    if (left > 0) return Math.ceil(left / 1000);
    this.blockedUntil.delete(tracker);
    return 0;
  }

  /** Seconds left of the shared block of `tracker`, else 0, from a storage that cannot read one: a hit under a limit it can never reach. */
  private async probe(tracker: string): Promise<number> {
    const answer = await this.storage!.increment(BLOCKED.key + tracker, 1, Number.MAX_SAFE_INTEGER, 1, BLOCKED.name);
    return answer.isBlocked ? Math.max(1, answer.timeToBlockExpire) : 0;
  }

  /** Counts one refused credential; the seconds of the block when the address is now over the limit, else 0. */
  private async countFailure(tracker: string): Promise<number> {
    const { limit, ttl, blockDuration } = this.limit!;
    const answer = await this.storage!.increment(FAILURES.key + tracker, ttl, limit, blockDuration, FAILURES.name);
    if (!answer.isBlocked) return 0;
    const seconds = Math.max(1, answer.timeToBlockExpire);
    // Limit 0: the first hit blocks. A marker whose previous block just ran out is reset by that hit, so write twice then.
    const mark = () => this.storage!.increment(BLOCKED.key + tracker, seconds * 1000, 0, seconds * 1000, BLOCKED.name);
    if (!(await mark()).isBlocked) await mark();
    if (this.remembered(tracker) === 0) this.logger.warn(this.refusal(tracker, seconds).message); // once per block and instance
    return this.remember(tracker, seconds);
  }

  private remember(tracker: string, seconds: number): number {
    const retryAfter = Math.max(1, seconds);
    this.blockedUntil.delete(tracker);
    if (this.blockedUntil.size >= this.maxRemembered) this.blockedUntil.delete(this.blockedUntil.keys().next().value!);
    this.blockedUntil.set(tracker, this.clock() + retryAfter * 1000);
    return retryAfter;
  }

  private refusal(tracker: string, retryAfter: number, cause?: unknown): TooManyAuthenticationFailuresError {
    const { limit, ttl } = this.limit!;
    return new TooManyAuthenticationFailuresError(
      messages.tooManyAuthenticationFailures(tracker, limit, ttl, retryAfter),
      retryAfter,
      `Too many failed authentication attempts from this address: retry after ${retryAfter} s.`,
      { cause },
    );
  }
}
