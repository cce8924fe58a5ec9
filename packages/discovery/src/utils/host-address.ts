import { networkInterfaces } from 'node:os';

/**
 * The first non-internal IPv4 address of this host, in interface order, or `127.0.0.1` when the host has none.
 * @internal
 */
export function firstNonLoopbackIPv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
