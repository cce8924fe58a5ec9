import { Logger } from '@nestjs/common';
import { firstValueFrom, of, ReplaySubject, timeout, type Observable, type Subscription } from 'rxjs';
import type { InstancesSnapshot } from '../interfaces/service-instance.interface.js';
import { withUsableInstances } from './usable-instances.js';

const logger = new Logger('ServiceDiscovery');

/**
 * The local cache of one service: one subscription to the registry's watch, the latest snapshot (instances that
 * cannot be called left out, see {@link withUsableInstances}), and a way to wait for the first answer. @internal
 */
export class ServiceCache {
  private readonly subject = new ReplaySubject<InstancesSnapshot>(1);
  private readonly subscription: Subscription;
  latest: InstancesSnapshot | undefined;

  constructor(source: Observable<InstancesSnapshot>, service: string) {
    this.subscription = source.subscribe((answer) => {
      const snapshot = withUsableInstances(answer, service, logger);
      this.latest = snapshot;
      this.subject.next(snapshot);
    });
  }

  get snapshots$(): Observable<InstancesSnapshot> {
    return this.subject.asObservable();
  }

  /** Resolves with the first snapshot (loaded or failed), or `undefined` after `ms` or once the cache closes. */
  first(ms: number): Promise<InstancesSnapshot | undefined> {
    // A closed cache (the app shut down) answers now: its wait must not hold the process for `ms`.
    const answer = this.subject.pipe(timeout({ first: ms, with: () => of(undefined) }));
    return firstValueFrom(answer, { defaultValue: undefined });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.subject.complete();
  }
}
