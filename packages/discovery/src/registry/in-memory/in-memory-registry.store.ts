import { BehaviorSubject } from 'rxjs';
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
 * The data behind in-memory registries: every app of one process that uses the default store sees the others
 * (the embedded demo runs a gateway and services in one process). TTL checks expire and critical instances are
 * reaped as Consul would, with unref'd timers.
 */
export class InMemoryRegistryStore {
  private readonly services = new Map<string, Map<string, Entry>>();
  private readonly subjects = new Map<string, BehaviorSubject<InstancesSnapshot>>();

  subject(name: string): BehaviorSubject<InstancesSnapshot> {
    let subject = this.subjects.get(name);
    if (!subject) {
      subject = new BehaviorSubject<InstancesSnapshot>({ instances: this.instances(name), stale: false, loaded: true });
      this.subjects.set(name, subject);
    }
    return subject;
  }

  register(registration: ServiceRegistration): void {
    this.remove(registration.id);
    const entries = this.services.get(registration.name) ?? new Map<string, Entry>();
    this.services.set(registration.name, entries);
    const status = registration.check?.type === 'ttl' ? registration.check.initialStatus : 'passing';
    const entry: Entry = { registration, status, maintenance: false };
    entries.set(registration.id, entry);
    this.armTtl(entry);
    this.armReaper(entry);
    this.publish(registration.name);
  }

  remove(instanceId: string): boolean {
    for (const [name, entries] of this.services) {
      const entry = entries.get(instanceId);
      if (!entry) continue;
      clearTimeout(entry.ttlTimer);
      clearTimeout(entry.reapTimer);
      entries.delete(instanceId);
      this.publish(name);
      return true;
    }
    return false;
  }

  find(instanceId: string): Entry | undefined {
    for (const entries of this.services.values()) {
      const entry = entries.get(instanceId);
      if (entry) return entry;
    }
    return undefined;
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
    for (const entries of this.services.values()) for (const id of [...entries.keys()]) this.remove(id);
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

  private instances(name: string): ServiceInstance[] {
    return [...(this.services.get(name)?.values() ?? [])]
      .map(({ registration: r, status, maintenance }) => ({
        id: r.id,
        name: r.name,
        address: r.address,
        port: r.port,
        tags: [...r.tags],
        meta: { ...r.meta, ...portsToMeta(r.ports) },
        weight: r.weight,
        ports: { ...r.ports },
        health: maintenance ? ('critical' as const) : status,
        stale: false,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  private publish(name: string): void {
    this.subjects.get(name)?.next({ instances: this.instances(name), stale: false, loaded: true });
  }
}

/** The process-wide store that in-memory registries use unless given their own. */
export const defaultInMemoryRegistryStore = new InMemoryRegistryStore();
