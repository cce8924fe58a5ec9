import { Logger } from '@nestjs/common';
import { ReplaySubject, type Observable, type Subscription } from 'rxjs';
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

  /** Resolves with the first snapshot (loaded or failed), or `undefined` after `timeout` ms or once the cache closes. */
  first(timeout: number): Promise<InstancesSnapshot | undefined> {
    if (this.latest) return Promise.resolve(this.latest);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        resolve(undefined);
      }, timeout);
      const settle = (snapshot?: InstancesSnapshot) => {
        clearTimeout(timer);
        queueMicrotask(() => subscription.unsubscribe());
        resolve(snapshot);
      };
      // A closed cache (the app shut down) answers now: its wait must not hold the process for `timeout`.
      const subscription = this.subject.subscribe({ next: settle, complete: settle });
    });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.subject.complete();
  }
}
