import { isPort } from '@nestmesh/common';
import { BehaviorSubject, type Observable } from 'rxjs';
import { DiscoveryConfigurationError } from '../../errors/discovery-configuration.error.js';
import { messages } from '../../errors/messages.constants.js';
import type { InstancesSnapshot, ServiceInstance } from '../../interfaces/service-instance.interface.js';
import type { ServiceDiscoveryModuleOptions, StaticInstanceOptions } from '../../interfaces/service-discovery-options.interface.js';
import { portsFromMeta, portsToMeta, unreadablePortMeta } from '../../utils/transport-ports.js';
import { assertMeta, isTags, isTransportPorts, isWeight } from '../../utils/validation.js';
import type { HeartbeatResult, ServiceRegistry } from '../service-registry.interface.js';

type StaticServices = NonNullable<ServiceDiscoveryModuleOptions['staticServices']>;

/** What a service the static list does not name has: no instances (never stored, so unknown names cost nothing). */
const NO_INSTANCES = new BehaviorSubject<InstancesSnapshot>({ instances: [], stale: false, loaded: true });

/** Where a static instance is, for error messages: `ServiceDiscoveryModule staticServices.orders[1]`. */
const staticWhere = (service: string, index: number) => `ServiceDiscoveryModule staticServices.${service}[${index}]`;

function parseInstance(service: string, input: StaticServices[string][number], index: number): ServiceInstance {
  const match = typeof input === 'string' ? /^\[?([^\]]+?)\]?:(\d+)$/.exec(input.trim()) : null;
  const spec = typeof input === 'string' ? match && { address: match[1], port: Number(match[2]) } : input;
  const extra: Partial<StaticInstanceOptions> = typeof input === 'object' && input ? input : {};
  const unreadable = unreadablePortMeta(extra.meta);
  if (unreadable) throw new DiscoveryConfigurationError(messages.unreadablePortMeta(service, ...unreadable));
  if (extra.tags !== undefined && !isTags(extra.tags)) throw new DiscoveryConfigurationError(messages.invalidTags(staticWhere(service, index), extra.tags));
  if (extra.meta !== undefined) assertMeta(extra.meta, staticWhere(service, index), true);
  const weight = extra.weight ?? 1;
  const ports = { ...portsFromMeta(extra.meta), ...extra.ports };
  const valid = spec && typeof spec.address === 'string' && spec.address && isPort(spec.port);
  if (!valid || !isWeight(weight) || !isTransportPorts(ports)) {
    throw new DiscoveryConfigurationError(messages.invalidStaticInstance(service, input));
  }
  return {
    id: extra.id ?? `${service}-${spec.address}-${spec.port}`,
    name: service,
    address: spec.address,
    port: spec.port,
    tags: [...(extra.tags ?? [])],
    meta: { ...(extra.meta ?? {}), ...portsToMeta(ports) },
    weight,
    ports,
    health: 'passing',
    stale: false,
  };
}

/** Instances from `staticServices`, always passing; registering is a no-op (nobody discovers a static list). */
export class StaticServiceRegistry implements ServiceRegistry {
  private readonly services = new Map<string, BehaviorSubject<InstancesSnapshot>>();

  constructor(services: StaticServices = {}) {
    for (const [name, inputs] of Object.entries(services)) {
      const instances = inputs.map((input, index) => parseInstance(name, input, index));
      const duplicate = instances.findIndex((instance, index) => instances.findIndex((other) => other.id === instance.id) !== index);
      if (duplicate >= 0) throw new DiscoveryConfigurationError(messages.duplicateStaticId(staticWhere(name, duplicate), instances[duplicate].id));
      this.services.set(name, new BehaviorSubject<InstancesSnapshot>({ instances, stale: false, loaded: true }));
    }
  }

  describe(): string {
    return `the static list of ServiceDiscoveryModule (staticServices: ${this.services.size} service(s))`;
  }

  async ping(): Promise<void> {}
  async register(): Promise<void> {}
  async deregister(): Promise<void> {}
  async reportHealth(): Promise<HeartbeatResult> {
    return 'ok';
  }
  async checkPresence(): Promise<HeartbeatResult> {
    return 'ok';
  }
  async enterMaintenance(): Promise<void> {}

  watch(serviceName: string): Observable<InstancesSnapshot> {
    return (this.services.get(serviceName) ?? NO_INSTANCES).asObservable();
  }

  async close(): Promise<void> {}
}
