import { Logger } from '@nestjs/common';
import { filter, firstValueFrom, of, ReplaySubject, tap, timeout, type Observable, type Subscription } from 'rxjs';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { InstancesSnapshot } from '../interfaces/service-instance.interface.js';
import { withUsableInstances } from './usable-instances.js';

const logger = new Logger('ServiceDiscovery');

/** At most this many caches no one uses right now are kept (least recently used go first). */
export const MAX_IDLE_SERVICE_CACHES = 128;

/** One service's cache: its registry watch, replaying the latest usable snapshot. @internal */
export class ServiceCache {
  private readonly subject = new ReplaySubject<InstancesSnapshot>(1);
  private readonly subscription: Subscription;
  readonly snapshots$ = this.subject.asObservable();
  /** `watch()` subscribers plus `getInstances()` calls in progress. */
  users = 0;
  lastUsed = Date.now();
  private readonly opened = Date.now();

  constructor(source: Observable<InstancesSnapshot>, service: string) {
    this.subscription = source.subscribe((answer) => this.subject.next(withUsableInstances(answer, service, logger)));
  }

  /**
   * Resolves with the latest loaded snapshot (at once when there is one); until `ms` after the cache opened, an
   * error before the first answer (a 500 during a leader election) is waited past. Then, or once the cache closes,
   * resolves with the last failed snapshot, or `undefined` when none came.
   */
  first(ms: number): Promise<InstancesSnapshot | undefined> {
    let last: InstancesSnapshot | undefined;
    // A closed cache (the app shut down) answers now: its wait must not hold the process for `ms`.
    const wait = Math.max(0, this.opened + ms - Date.now());
    const loaded = this.subject.pipe(
      tap((snapshot) => (last = snapshot)),
      filter((snapshot) => snapshot.loaded),
      timeout({ first: wait, with: () => of(undefined) }),
    );
    return firstValueFrom(loaded, { defaultValue: undefined }).then((snapshot) => snapshot ?? last);
  }

  close(): void {
    this.subscription.unsubscribe();
    this.subject.complete();
  }
}

/**
 * The caches of one {@link ServiceDiscovery}, one per service, bounded: one unused for `linger` (no `watch()`
 * subscriber, no recent `getInstances()`) is closed with its registry watch, and at most
 * {@link MAX_IDLE_SERVICE_CACHES} unused ones are kept, so names asked once (typos, user input) pile up no watches.
 * @internal
 */
export class ServiceCaches {
  /** In least-recently-used-first order (a use moves an entry to the end). */
  private readonly entries = new Map<string, ServiceCache>();
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly open: (name: string) => Observable<InstancesSnapshot>,
    private readonly linger: number,
  ) {}

  /** Uses the cache of `name` (creating it) until the returned function is called; throws once closed (the app shut down). */
  use(name: string): { cache: ServiceCache; done: () => void } {
    if (this.closed) throw new DiscoveryConfigurationError(messages.usedAfterClose(name));
    const cache = this.entries.get(name) ?? new ServiceCache(this.open(name), name);
    this.entries.delete(name);
    this.entries.set(name, cache);
    cache.users += 1;
    this.schedule();
    let done = false;
    return {
      cache,
      done: () => {
        if (done) return;
        done = true;
        cache.users -= 1;
        cache.lastUsed = Date.now();
        this.evictOverflow();
      },
    };
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const cache of this.entries.values()) cache.close();
    this.entries.clear();
  }

  private evictOverflow(): void {
    const idle = [...this.entries].filter(([, cache]) => cache.users === 0);
    for (const [name, cache] of idle.slice(0, Math.max(0, idle.length - MAX_IDLE_SERVICE_CACHES))) this.remove(name, cache);
  }

  private sweep(): void {
    this.sweeper = undefined;
    const now = Date.now();
    for (const [name, cache] of this.entries) if (cache.users === 0 && now - cache.lastUsed >= this.linger) this.remove(name, cache);
    this.schedule();
  }

  private schedule(): void {
    if (this.sweeper || this.entries.size === 0) return;
    this.sweeper = setTimeout(() => this.sweep(), Math.max(50, Math.min(this.linger / 2, 1_000)));
    this.sweeper.unref();
  }

  private remove(name: string, cache: ServiceCache): void {
    this.entries.delete(name);
    cache.close();
  }
}
