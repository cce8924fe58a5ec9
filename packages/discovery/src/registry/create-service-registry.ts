import { isObject } from '@nestmesh/common';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { ServiceDiscoveryModuleOptions } from '../interfaces/service-discovery-options.interface.js';
import type { ResolvedDiscoveryOptions } from '../service-discovery.options.js';
import { resolveConsulEndpoint } from './consul/consul-endpoint.js';
import { ConsulServiceRegistry } from './consul/consul.registry.js';
import { InMemoryServiceRegistry } from './in-memory/in-memory.registry.js';
import type { ServiceRegistry } from './service-registry.interface.js';
import { StaticServiceRegistry } from './static/static.registry.js';

/** The chosen registry, its kind, and why it was chosen (logged at startup). @internal */
export interface RegistryChoice {
  registry: ServiceRegistry;
  kind: 'consul' | 'in-memory' | 'static' | 'custom';
  reason: string;
  /** Whether nothing chose it: no `registry` option, no `CONSUL_HTTP_ADDR`, no `consul.address` (warned at startup). */
  fallback?: boolean;
}

function isServiceRegistry(value: unknown): value is ServiceRegistry {
  return isObject(value) && ['register', 'deregister', 'watch', 'ping', 'describe'].every((key) => typeof value[key] === 'function');
}

/** The `registry` option, else Consul when `CONSUL_HTTP_ADDR` or `consul.address` is set, else in-memory. @internal */
export function createServiceRegistry(options: ServiceDiscoveryModuleOptions, resolved: ResolvedDiscoveryOptions, env: NodeJS.ProcessEnv = process.env): RegistryChoice {
  const choice = options.registry;
  if (choice !== undefined && typeof choice !== 'string') {
    if (!isServiceRegistry(choice)) throw new DiscoveryConfigurationError(messages.invalidRegistry(choice));
    return { registry: choice, kind: 'custom', reason: 'the registry option' };
  }
  const kind = choice ?? (env.CONSUL_HTTP_ADDR || options.consul?.address ? 'consul' : 'in-memory');
  const reason = choice ? `registry: '${choice}'` : kind === 'consul' ? (env.CONSUL_HTTP_ADDR ? 'CONSUL_HTTP_ADDR is set' : 'consul.address is set') : 'CONSUL_HTTP_ADDR is not set';
  const watch = { ...resolved.watch, requestTimeout: resolved.requestTimeout };
  if (kind === 'consul') {
    return { kind, reason, registry: new ConsulServiceRegistry(resolveConsulEndpoint(options.consul, env), watch) };
  }
  if (kind === 'in-memory') return { kind, reason, registry: new InMemoryServiceRegistry(), fallback: !choice };
  if (kind === 'static') return { kind, reason, registry: new StaticServiceRegistry(options.staticServices) };
  throw new DiscoveryConfigurationError(messages.invalidRegistry(kind));
}
