import { networkInterfaces } from 'node:os';
import type { HealthStatus } from '../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../interfaces/service-registration.interface.js';
import type { ServiceDefinition } from './service-definition.js';

const WILDCARDS = new Set(['0.0.0.0', '::', '::ffff:0.0.0.0']);

/** The first non-internal IPv4 address of this host, in interface order, or `127.0.0.1` when it has none. */
function firstNonLoopbackIPv4(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((address) => address.family === 'IPv4' && !address.internal)?.address ?? '127.0.0.1';
}

/**
 * Turns a validated definition and the real listening port into a registration, with the `ports` found on the app's
 * transports (the `ports` option wins). Without `address` (option or `NESTMESH_SERVICE_ADDRESS`), the address is
 * `boundAddress`, the one the server is bound to, when specific (an app on 127.0.0.1 is only reachable there), else
 * a non-loopback IPv4 (loopback for the in-memory registry). The default ID `<name>-<address>-<port>` is stable per
 * host and port: a restart replaces its old entry, leaving no ghost. @internal
 */
export function buildRegistration(
  definition: ServiceDefinition,
  listeningPort: number,
  initialStatus: HealthStatus,
  loopbackByDefault: boolean,
  { boundAddress, ports }: { boundAddress?: string; ports?: Readonly<Record<string, number>> } = {},
): ServiceRegistration {
  const port = definition.port ?? listeningPort;
  const bound = boundAddress && !WILDCARDS.has(boundAddress) ? boundAddress.replace(/^::ffff:/, '') : undefined;
  const address = definition.address ?? bound ?? (loopbackByDefault ? '127.0.0.1' : firstNonLoopbackIPv4());
  const id = definition.instanceId ?? `${definition.name}-${address}-${port}`.replace(/[^A-Za-z0-9_.-]/g, '-');
  const check = definition.check;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    id,
    name: definition.name,
    address,
    port,
    tags: definition.tags,
    meta: definition.meta,
    weight: definition.weight,
    ports: { ...ports, ...definition.ports },
    check:
      check.type === 'ttl'
        ? { type: 'ttl', ttl: check.ttl, deregisterCriticalServiceAfter: check.deregisterCriticalServiceAfter, initialStatus }
        : check.type === 'http'
          ? {
              type: 'http',
              url: `${check.scheme}://${host}:${port}${check.path}`,
              interval: check.interval,
              timeout: check.timeout,
              deregisterCriticalServiceAfter: check.deregisterCriticalServiceAfter,
            }
          : undefined,
  };
}

/** A short description of the check for the registration log line. @internal */
export function describeCheck({ check }: ServiceDefinition): string {
  if (check.type === 'ttl') return `TTL check ${check.ttl} ms, heartbeat every ${check.heartbeatInterval} ms`;
  if (check.type === 'http') return `HTTP check on ${check.path} every ${check.interval} ms`;
  return 'no health check';
}
