import { isObject, isPort, isServiceName } from '@nestmesh/common';
import { isIP } from 'node:net';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { PORT_META_PREFIX, TRANSPORT_NAME } from './transport-ports.js';

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const META_KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** A last label URL parsers read as a number (WHATWG "ends in a number"): `1.2.3.4.5`, `a.123`, `0x7f.1` are no host names. */
const ENDS_IN_NUMBER = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/i;

/** Throws unless `name` is a DNS-safe Consul service name. `where` prefixes the message. @internal */
export function assertServiceName(name: unknown, where: string): asserts name is string {
  if (!isServiceName(name)) throw new DiscoveryConfigurationError(messages.invalidServiceName(where, name));
}

/** True for an integer from 1 to 65535 (Consul's `Weights.Passing`): a port's range, so the port check. @internal */
export const isWeight: (weight: unknown) => weight is number = isPort;

/** True for an object of transport name to port, e.g. `{ tcp: 4001 }`. @internal */
export function isTransportPorts(ports: unknown): ports is Record<string, number> {
  return isObject(ports) && Object.entries(ports).every(([transport, port]) => TRANSPORT_NAME.test(transport) && isPort(port));
}

/**
 * True when `address` can be called as it is: a bare IPv4 or IPv6 address (no brackets, no zone index) or a DNS
 * host name (whose last label is not a number, which URL parsers would take for a malformed IPv4), with no
 * scheme, path or port.
 *
 * @example
 * isInstanceAddress('10.0.0.5'); // true
 * isInstanceAddress('[::1]'); // false: no brackets, the client adds them
 */
export function isInstanceAddress(address: unknown): address is string {
  if (typeof address !== 'string') return false;
  return isIP(address) !== 0 ? !address.includes('%') : HOST_NAME.test(address) && !ENDS_IN_NUMBER.test(address);
}

/** Throws a configuration error naming `option` (at `where`), its value and the `fix`, unless `valid`. @internal */
export function assertOption(valid: boolean, where: string, option: string, value: unknown, fix: string): void {
  if (!valid) throw new DiscoveryConfigurationError(messages.invalidOption(where, option, value, fix));
}

/** The fix for a boolean option given as something else (`'false'` would read as true). @internal */
export const BOOLEAN_FIX = 'Use true or false (a boolean, not a string), or leave it unset.';

/** True for an array of non-empty strings. @internal */
export function isTags(tags: unknown): tags is string[] {
  return Array.isArray(tags) && tags.every((tag) => typeof tag === 'string' && tag.length > 0);
}

/**
 * Throws unless `meta` fits Consul's meta rules and has no `nestmesh-` key (nestmesh sets those itself), but
 * `nestmesh-port-<transport>` when `withPorts` (the meta built from the `ports` option). @internal
 */
export function assertMeta(meta: unknown, where: string, withPorts = false): asserts meta is Record<string, string> {
  if (!isObject(meta)) throw new DiscoveryConfigurationError(messages.invalidMeta(where, '(meta)', meta));
  const entries = Object.entries(meta);
  if (entries.length > 64) throw new DiscoveryConfigurationError(messages.invalidMeta(where, `(${entries.length} entries)`, '...'));
  for (const [key, value] of entries) {
    if (!META_KEY.test(key) || key.startsWith('consul-') || typeof value !== 'string' || value.length > 512) {
      throw new DiscoveryConfigurationError(messages.invalidMeta(where, key, value));
    }
    if (key.startsWith('nestmesh-') && !(withPorts && key.startsWith(PORT_META_PREFIX))) throw new DiscoveryConfigurationError(messages.reservedMeta(where, key));
  }
}
