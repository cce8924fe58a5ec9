import type { ServiceInstance } from '@nestmesh/discovery';

/** @internal How a balancer opens and closes its connection to one instance (an undici Pool, a TCP client). */
export interface ConnectionFactory<C> {
  /** Identity of the connection: an instance whose key changes gets a new one. */
  key(instance: ServiceInstance): string;
  /** The connection, or `undefined` to leave the instance out (e.g. it has no TCP port). */
  create(instance: ServiceInstance): C | undefined;
  /** Closes a connection: gracefully first, then by force after a bounded wait. */
  close(connection: C): Promise<void>;
}
