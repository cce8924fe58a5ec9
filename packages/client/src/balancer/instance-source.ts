import type { ServiceDiscovery, ServiceInstance } from '@nestmesh/discovery';
import type { Observable } from 'rxjs';

/**
 * @internal Where a balancer gets the instances of its service: discovery for a named service, a constant
 * one-instance list for a static `origin`.
 */
export interface InstanceSource {
  /** The instances now (all of them, whatever their health). */
  instances(): Promise<readonly ServiceInstance[]>;
  /** Later changes of the list; absent for a list that never changes. */
  watch?(): Observable<readonly ServiceInstance[]>;
  /** Where the instances come from, for messages (`"the Consul agent at …"`, `"origin https://…"`). */
  describe(): string;
}

/** @internal The instances of `serviceName` carrying every one of `tags`, as discovery sees them (health included). */
export function discoverySource(discovery: ServiceDiscovery, serviceName: string, tags: string[]): InstanceSource {
  return {
    instances: () => discovery.getInstances(serviceName, { tags, passingOnly: false }),
    watch: () => discovery.watch(serviceName, { tags, passingOnly: false }),
    describe: () => discovery.describeRegistry(),
  };
}

/**
 * @internal The one instance of a static origin (`http(s)://host:port`, checked by `resolveServiceOptions`): always
 * passing, never watched; the balancer still ejects it after consecutive failures (panic mode sends to it anyway).
 */
export function originSource(key: string, origin: URL): InstanceSource {
  const instance: ServiceInstance = {
    id: origin.origin,
    name: key,
    // URL keeps the brackets of an IPv6 host; an instance address has none.
    address: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80),
    tags: [],
    meta: {},
    weight: 1,
    ports: {},
    health: 'passing',
    stale: false,
  };
  const list = Object.freeze([instance]);
  return { instances: async () => list, describe: () => `origin ${origin.origin}` };
}
