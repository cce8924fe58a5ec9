import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { defer, distinctUntilChanged, filter, finalize, map, type Observable } from 'rxjs';
import { InstancesUnavailableError } from '../errors/instances-unavailable.error.js';
import { messages } from '../errors/messages.constants.js';
import type { InstancesSnapshot, ServiceInstance } from '../interfaces/service-instance.interface.js';
import type { RegistryChoice } from '../registry/create-service-registry.js';
import type { ResolvedDiscoveryOptions } from '../service-discovery.options.js';
import { REGISTRY_CHOICE, RESOLVED_DISCOVERY_OPTIONS } from '../service-discovery.providers.js';
import { instancesFingerprint } from '../utils/instances-fingerprint.js';
import { assertServiceName } from '../utils/validation.js';
import { ServiceCaches } from './service-caches.js';

/** Which instances to return. */
export interface InstanceQuery {
  /** Only instances that have every one of these tags. Default: no tag filter. */
  tags?: string[];
  /** Only instances whose checks all pass (Consul's `?passing`). Default `true`. */
  passingOnly?: boolean;
}

function select(snapshot: InstancesSnapshot, { tags = [], passingOnly = true }: InstanceQuery): ServiceInstance[] {
  return snapshot.instances.filter((instance) => (!passingOnly || instance.health === 'passing') && tags.every((tag) => instance.tags.includes(tag)));
}

/**
 * Finds the instances of other services. Answers come from a local cache that one shared registry watch per
 * service keeps current (Consul blocking queries); when the registry is unreachable the last known instances
 * are served with `stale: true`, and the watch recovers by itself. A service's watch ends `watch.linger` after
 * its last `watch()` subscriber left and its last `getInstances()` call.
 *
 * @example
 * const [instance] = await discovery.getInstances('orders', { tags: ['v2'] });
 * discovery.watch('orders').subscribe((instances) => balancer.update(instances));
 */
@Injectable()
export class ServiceDiscovery implements OnApplicationShutdown {
  private readonly caches: ServiceCaches;

  constructor(
    @Inject(RESOLVED_DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
    @Inject(REGISTRY_CHOICE) private readonly choice: RegistryChoice,
  ) {
    this.caches = new ServiceCaches((name) => choice.registry.watch(name), options.watch.linger);
  }

  /**
   * Where instances are looked up, as messages name it: `Consul at http://127.0.0.1:8500`, `the static list of
   * ServiceDiscoveryModule (...)`, or `the in-memory registry of this process; set CONSUL_HTTP_ADDR to use Consul`
   * when it was chosen for want of Consul settings.
   *
   * @example
   * throw new Error(`No instance of "orders" in ${discovery.describeRegistry()}`);
   */
  describeRegistry(): string {
    const { registry, fallback } = this.choice;
    return fallback ? `${registry.describe()}; ${messages.inMemoryFix()}` : registry.describe();
  }

  /**
   * The instances of `name`, from the cache. The first call for a service waits for the registry (up to
   * `watch.initialTimeout`) and throws an `InstancesUnavailableError` if it never answered.
   */
  async getInstances(name: string, query: InstanceQuery = {}): Promise<ServiceInstance[]> {
    assertServiceName(name, 'ServiceDiscovery.getInstances()');
    const { cache, done } = this.caches.use(name);
    try {
      const snapshot = await cache.first(this.options.watch.initialTimeout);
      if (!snapshot?.loaded) {
        const detail = snapshot?.error?.message ?? `no answer within ${this.options.watch.initialTimeout} ms`;
        throw new InstancesUnavailableError(messages.noInstancesYet(name, this.describeRegistry(), detail), name, { cause: snapshot?.error });
      }
      return select(snapshot, query);
    } finally {
      done();
    }
  }

  /**
   * The instances of `name` once the registry answered, and again when one appears, leaves, changes health or turns
   * stale; shared with every consumer of that service, watched while subscribed (and `watch.linger` after).
   */
  watch(name: string, query: InstanceQuery = {}): Observable<ServiceInstance[]> {
    assertServiceName(name, 'ServiceDiscovery.watch()');
    return defer(() => {
      const { cache, done } = this.caches.use(name);
      return cache.snapshots$.pipe(
        filter((snapshot) => snapshot.loaded),
        map((snapshot) => select(snapshot, query)),
        distinctUntilChanged((a, b) => instancesFingerprint(a) === instancesFingerprint(b)),
        finalize(done),
      );
    });
  }

  /** Names of the services this process follows now. */
  watchedServices(): string[] {
    return this.caches.names();
  }

  onApplicationShutdown(): void {
    this.caches.close();
  }
}
