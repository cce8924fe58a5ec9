import type { Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { OWNER_META_KEY } from '../../service-discovery.constants.js';
import type { HeartbeatResult, ServiceRegistry } from '../service-registry.interface.js';
import { defaultInMemoryRegistryStore, type InMemoryRegistryStore } from './in-memory-registry.store.js';

/** A registry in this process (tests, the embedded demo) with Consul's agent semantics: TTLs, maintenance, reaping. */
export class InMemoryServiceRegistry implements ServiceRegistry {
  constructor(private readonly store: InMemoryRegistryStore = defaultInMemoryRegistryStore) {}

  describe(): string {
    return 'the in-memory registry of this process';
  }

  async ping(): Promise<void> {}

  async register(registration: ServiceRegistration): Promise<void> {
    this.store.register(registration);
  }

  async ownerOf(instanceId: string): Promise<string | undefined | null> {
    const entry = this.store.find(instanceId);
    return entry ? entry.registration.meta[OWNER_META_KEY] : null;
  }

  async deregister(instanceId: string): Promise<void> {
    this.store.remove(instanceId);
  }

  async reportHealth(instanceId: string, status: HealthStatus, _output?: string): Promise<HeartbeatResult> {
    return this.store.update(instanceId, { status }) ? 'ok' : 'unknown-instance';
  }

  async checkPresence(instanceId: string): Promise<HeartbeatResult> {
    return this.store.find(instanceId) ? 'ok' : 'unknown-instance';
  }

  async enterMaintenance(instanceId: string): Promise<void> {
    this.store.update(instanceId, { maintenance: true });
  }

  watch(serviceName: string): Observable<InstancesSnapshot> {
    return this.store.watch(serviceName);
  }

  async close(): Promise<void> {}
}
