import { isPort } from '@nestmesh/common';

/** Prefix of the service meta keys that carry transport ports: `nestmesh-port-tcp: "4001"`. */
export const PORT_META_PREFIX = 'nestmesh-port-';

/** A transport name: what follows {@link PORT_META_PREFIX} in a meta key. @internal */
export const TRANSPORT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `{ tcp: 4001 }` → `{ 'nestmesh-port-tcp': '4001' }`, the registry meta that carries the ports. @internal */
export function portsToMeta(ports: Readonly<Record<string, number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [PORT_META_PREFIX + name, String(port)]));
}

/** The transport and port of one meta entry: `undefined` for others' meta, `null` for a port meta that is no port. */
function portEntry(key: string, value: string): [string, number] | null | undefined {
  if (!key.startsWith(PORT_META_PREFIX)) return undefined;
  const transport = key.slice(PORT_META_PREFIX.length);
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return TRANSPORT_NAME.test(transport) && isPort(port) ? [transport, port] : null;
}

/** Reads the ports back from registry meta, skipping entries that are not a port (others' meta, typos). @internal */
export function portsFromMeta(meta: Readonly<Record<string, string>> | null | undefined): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    const entry = portEntry(key, value);
    if (entry) ports[entry[0]] = entry[1];
  }
  return ports;
}

/** The first `nestmesh-port-<transport>` meta entry that {@link portsFromMeta} would skip as no port, if any. @internal */
export function unreadablePortMeta(meta: Readonly<Record<string, unknown>> | null | undefined): [key: string, value: unknown] | undefined {
  return Object.entries(meta ?? {}).find(([key, value]) => key.startsWith(PORT_META_PREFIX) && (typeof value !== 'string' || portEntry(key, value) === null));
}
