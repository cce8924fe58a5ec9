import type { DiscoverableOptions, HttpCheckOptions, TtlCheckOptions } from '../interfaces/discoverable-options.interface.js';
import { DEFAULT_HEALTH_PATH, SERVICE_ADDRESS_ENV } from '../service-discovery.constants.js';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { toMilliseconds } from '../utils/duration.js';
import { portsToMeta } from '../utils/transport-ports.js';
import { isPort } from '@nestmesh/common';
import { assertMeta, assertOption, assertServiceName, BOOLEAN_FIX, isInstanceAddress, isTags, isTransportPorts, isWeight } from '../utils/validation.js';

/** Consul's minimum for `DeregisterCriticalServiceAfter` (it silently raises smaller values to it), and our default. */
const MIN_DEREGISTER_AFTER = 60_000;
/** The default TTL of a check. */
const DEFAULT_TTL = 10_000;

/** Validates a check option into a check with durations in milliseconds (its `type` tells which). */
function defineCheck(input: DiscoverableOptions['check'], where: string) {
  if (input === false) return { type: 'none' as const, presenceInterval: DEFAULT_TTL / 3 };
  if (typeof input === 'string' && input !== 'ttl' && input !== 'http') throw new DiscoveryConfigurationError(messages.invalidCheck(where, input));
  const check = typeof input === 'string' ? ({ type: input } as TtlCheckOptions | HttpCheckOptions) : input;
  if (check !== undefined && (typeof check !== 'object' || check === null || !['ttl', 'http', undefined].includes(check.type))) {
    throw new DiscoveryConfigurationError(messages.invalidCheck(where, check));
  }
  const deregisterOption = `${where} check.deregisterCriticalServiceAfter`;
  const deregister = toMilliseconds(check?.deregisterCriticalServiceAfter, deregisterOption, MIN_DEREGISTER_AFTER);
  if (deregister < MIN_DEREGISTER_AFTER) throw new DiscoveryConfigurationError(messages.deregisterTooSoon(deregisterOption, check?.deregisterCriticalServiceAfter));
  if (check?.type === 'http') {
    const interval = toMilliseconds(check.interval, `${where} check.interval`, 10_000);
    const path = check.path ?? DEFAULT_HEALTH_PATH;
    assertOption(typeof path === 'string' && path.startsWith('/'), where, 'check.path', path, `Use a path starting with "/", or leave it unset (default "${DEFAULT_HEALTH_PATH}").`);
    assertOption([undefined, 'http', 'https'].includes(check.scheme), where, 'check.scheme', check.scheme, "Use 'http' or 'https', or leave it unset (default 'http').");
    return {
      type: 'http' as const,
      path,
      interval,
      timeout: toMilliseconds(check.timeout, `${where} check.timeout`, 5_000),
      deregisterCriticalServiceAfter: deregister,
      scheme: check.scheme ?? 'http',
      presenceInterval: toMilliseconds(check.presenceInterval, `${where} check.presenceInterval`, interval),
    };
  }
  const ttl = toMilliseconds(check?.ttl, `${where} check.ttl`, DEFAULT_TTL);
  const heartbeatOption = check?.heartbeatInterval !== undefined ? 'heartbeatInterval' : 'interval';
  const heartbeatInterval = toMilliseconds(check?.heartbeatInterval ?? check?.interval, `${where} check.${heartbeatOption}`, Math.floor(ttl / 3));
  if (ttl < 1_000 && ttl !== 0) throw new DiscoveryConfigurationError(messages.invalidDuration(`${where} check.ttl (1s at least)`, check?.ttl));
  if (heartbeatInterval <= 0 || heartbeatInterval >= ttl) throw new DiscoveryConfigurationError(messages.ttlTooShort(where, ttl, heartbeatInterval));
  return { type: 'ttl' as const, ttl, heartbeatInterval, deregisterCriticalServiceAfter: deregister };
}

/** Merges `@Discoverable()` options with the `service` overrides and validates them, naming any bad value. @internal */
export function defineService(decorated: Partial<DiscoverableOptions> | undefined, overrides: Partial<DiscoverableOptions>, where: string, env: NodeJS.ProcessEnv = process.env) {
  const options = { ...decorated, ...overrides };
  const fail = (message: string) => new DiscoveryConfigurationError(message);
  assertServiceName(options.name, where);
  assertOption(options.enabled === undefined || typeof options.enabled === 'boolean', where, 'enabled', options.enabled, BOOLEAN_FIX);
  const tags = options.tags ?? [];
  if (!isTags(tags)) throw fail(messages.invalidTags(where, tags));
  const version = options.version ?? env.npm_package_version;
  const meta = { ...(options.meta ?? {}), ...(version ? { version } : {}) };
  assertMeta(meta, where);
  const address = options.address ?? (env[SERVICE_ADDRESS_ENV] || undefined);
  const addressSource = options.address !== undefined ? where : `${where} (${SERVICE_ADDRESS_ENV})`;
  if (address !== undefined && !isInstanceAddress(address)) throw fail(messages.invalidAddress(addressSource, address));
  if (options.port !== undefined && !isPort(options.port)) throw fail(messages.invalidPort(where, options.port));
  const weight = options.weight ?? 1;
  if (!isWeight(weight)) throw fail(messages.invalidWeight(where, weight));
  const ports = options.ports ?? {};
  if (!isTransportPorts(ports)) throw fail(messages.invalidPorts(where, ports));
  assertMeta({ ...meta, ...portsToMeta(ports) }, where, true);
  if (options.instanceId !== undefined && (typeof options.instanceId !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(options.instanceId))) {
    const id = JSON.stringify(options.instanceId);
    throw fail(`${where}: invalid instanceId ${id}. Use 1 to 128 letters, digits, "_", ".", ":" or "-".`);
  }
  return {
    name: options.name,
    tags,
    meta,
    address,
    port: options.port,
    weight,
    ports: { ...ports },
    instanceId: options.instanceId,
    check: defineCheck(options.check, where),
  };
}

/** `@Discoverable()` options merged with the module's `service` overrides and validated. @internal */
export type ServiceDefinition = ReturnType<typeof defineService>;
