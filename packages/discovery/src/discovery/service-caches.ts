import type { Observable } from 'rxjs';
import type { InstancesSnapshot } from '../interfaces/service-instance.interface.js';
import { ServiceCache } from './service-cache.js';

/** At most this many caches no one uses right now are kept (least recently used go first). */
export const MAX_IDLE_SERVICE_CACHES = 128;

interface Entry {
  cache: ServiceCache;
  /** `watch()` subscribers plus `getInstances()` calls in progress. */
  users: number;
  lastUsed: number;
}

/**
 * The caches of one {@link ServiceDiscovery}, one per service name, bounded: a cache nobody uses any more (its
 * last `watch()` subscriber left, its last `getInstances()` is older than `linger`) is closed, which ends its
 * registry watch; and at most {@link MAX_IDLE_SERVICE_CACHES} unused caches are kept, so names asked for once
 * (typos, user input) do not pile up watches. @internal
 */
export class ServiceCaches {
  /** In least-recently-used-first order (a use moves an entry to the end). */
  private readonly entries = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly open: (name: string) => Observable<InstancesSnapshot>,
    private readonly linger: number,
  ) {}

  /** Uses the cache of `name` (creating it) until the returned function is called. */
  use(name: string): { cache: ServiceCache; done: () => void } {
    let entry = this.entries.get(name);
    if (entry) this.entries.delete(name);
    else entry = { cache: new ServiceCache(this.open(name), name), users: 0, lastUsed: Date.now() };
    this.entries.set(name, entry);
    entry.users += 1;
    this.schedule();
    const owned = entry;
    let done = false;
    return {
      cache: owned.cache,
      done: () => {
        if (done) return;
        done = true;
        owned.users -= 1;
        owned.lastUsed = Date.now();
        this.evictOverflow();
      },
    };
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  close(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const entry of this.entries.values()) entry.cache.close();
    this.entries.clear();
  }

  private evictOverflow(): void {
    let idle = 0;
    for (const entry of this.entries.values()) if (entry.users === 0) idle += 1;
    for (const [name, entry] of this.entries) {
      if (idle <= MAX_IDLE_SERVICE_CACHES) break;
      if (entry.users > 0) continue;
      this.remove(name, entry);
      idle -= 1;
    }
  }

  private sweep(): void {
    this.sweeper = undefined;
    const now = Date.now();
    for (const [name, entry] of this.entries) if (entry.users === 0 && now - entry.lastUsed >= this.linger) this.remove(name, entry);
    this.schedule();
  }

  private schedule(): void {
    if (this.sweeper || this.entries.size === 0) return;
    this.sweeper = setTimeout(() => this.sweep(), Math.max(50, Math.min(this.linger / 2, 1_000)));
    this.sweeper.unref();
  }

  private remove(name: string, entry: Entry): void {
    this.entries.delete(name);
    entry.cache.close();
  }
}
