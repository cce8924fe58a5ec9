import { isPort } from '@nestmesh/common';

/** Prefix of the service meta keys that carry transport ports: `nestmesh-port-tcp: "4001"`. */
export const PORT_META_PREFIX = 'nestmesh-port-';

/** A transport name: what follows {@link PORT_META_PREFIX} in a meta key. @internal */
export const TRANSPORT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `{ tcp: 4001 }` → `{ 'nestmesh-port-tcp': '4001' }`, the registry meta that carries the ports. @internal */
export function portsToMeta(ports: Readonly<Record<string, number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [PORT_META_PREFIX + name, String(port)]));
}

/** Reads the ports back from registry meta, skipping entries that are not a port (others' meta, typos). @internal */
export function portsFromMeta(meta: Readonly<Record<string, string>> | null | undefined): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (!key.startsWith(PORT_META_PREFIX)) continue;
    const transport = key.slice(PORT_META_PREFIX.length);
    const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
    if (TRANSPORT_NAME.test(transport) && isPort(port)) ports[transport] = port;
  }
  return ports;
}
