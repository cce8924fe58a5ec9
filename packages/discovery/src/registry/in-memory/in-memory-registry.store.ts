import { BehaviorSubject, Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot, ServiceInstance } from '../../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { portsToMeta } from '../../utils/transport-ports.js';

interface Entry {
  registration: ServiceRegistration;
  status: HealthStatus;
  maintenance: boolean;
  ttlTimer?: NodeJS.Timeout;
  reapTimer?: NodeJS.Timeout;
}

/**
 * The data behind in-memory registries: apps of one process on the default store see each other (the embedded demo).
 * TTL checks expire and critical instances are reaped as in Consul, on unref'd timers.
 */
export class InMemoryRegistryStore {
  /** By instance ID, unique across services as in Consul. */
  private readonly entries = new Map<string, Entry>();
  private readonly subjects = new Map<string, BehaviorSubject<InstancesSnapshot>>();

  /**
   * The snapshots of `name`, the current one first. A name is kept only while something watches it: names can come
   * from callers, and the store must not grow with every one ever asked for.
   */
  watch(name: string): Observable<InstancesSnapshot> {
    return new Observable((subscriber) => {
      let subject = this.subjects.get(name);
      if (subject === undefined) this.subjects.set(name, (subject = new BehaviorSubject(this.snapshot(name))));
      const subscription = subject.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (!subject.observed) this.subjects.delete(name);
      };
    });
  }

  /** How many service names are watched now (tests). */
  get watchedServices(): number {
    return this.subjects.size;
  }

  register(registration: ServiceRegistration): void {
    this.remove(registration.id);
    const status = registration.check?.type === 'ttl' ? registration.check.initialStatus : 'passing';
    const entry: Entry = { registration, status, maintenance: false };
    this.entries.set(registration.id, entry);
    this.armTtl(entry);
    this.armReaper(entry);
    this.publish(registration.name);
  }

  remove(instanceId: string): boolean {
    const entry = this.entries.get(instanceId);
    if (!entry) return false;
    clearTimeout(entry.ttlTimer);
    clearTimeout(entry.reapTimer);
    this.entries.delete(instanceId);
    this.publish(entry.registration.name);
    return true;
  }

  find(instanceId: string): Entry | undefined {
    return this.entries.get(instanceId);
  }

  /** A heartbeat or maintenance change: re-arms the TTL on a heartbeat, reaps instances left critical. */
  update(instanceId: string, change: Partial<Pick<Entry, 'status' | 'maintenance'>>): boolean {
    const entry = this.find(instanceId);
    if (!entry) return false;
    Object.assign(entry, change);
    if (change.status !== undefined) this.armTtl(entry);
    this.armReaper(entry);
    this.publish(entry.registration.name);
    return true;
  }

  /** Forgets everything (tests). */
  clear(): void {
    for (const id of [...this.entries.keys()]) this.remove(id);
  }

  private armTtl(entry: Entry): void {
    const check = entry.registration.check;
    clearTimeout(entry.ttlTimer);
    if (check?.type !== 'ttl') return;
    entry.ttlTimer = setTimeout(() => {
      entry.status = 'critical';
      this.armReaper(entry);
      this.publish(entry.registration.name);
    }, check.ttl);
    entry.ttlTimer.unref();
  }

  /** Like Consul's DeregisterCriticalServiceAfter: critical for that long (without interruption) means removal. */
  private armReaper(entry: Entry): void {
    const check = entry.registration.check;
    const critical = entry.status === 'critical' || entry.maintenance;
    if (!check || !critical) {
      clearTimeout(entry.reapTimer);
      entry.reapTimer = undefined;
      return;
    }
    if (entry.reapTimer) return;
    entry.reapTimer = setTimeout(() => this.remove(entry.registration.id), check.deregisterCriticalServiceAfter);
    entry.reapTimer.unref();
  }

  private snapshot(name: string): InstancesSnapshot {
    const instances: ServiceInstance[] = [...this.entries.values()]
      .filter((entry) => entry.registration.name === name)
      .map(({ registration: { check: _check, ...identity }, status, maintenance }) => ({
        ...identity,
        tags: [...identity.tags],
        meta: { ...identity.meta, ...portsToMeta(identity.ports) },
        ports: { ...identity.ports },
        health: maintenance ? ('critical' as const) : status,
        stale: false,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    return { instances, stale: false, loaded: true };
  }

  private publish(name: string): void {
    this.subjects.get(name)?.next(this.snapshot(name));
  }
}

/** The process-wide store that in-memory registries use unless given their own. */
export const defaultInMemoryRegistryStore = new InMemoryRegistryStore();
