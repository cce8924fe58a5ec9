import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { ResiliencePolicyFactory } from '@nestmesh/resilience';

import { ServiceBalancer } from './balancer/service-balancer.js';
import type { ConnectionFactory } from './balancer/connection-factory.interface.js';
import { discoverySource, originSource } from './balancer/instance-source.js';
import { messages } from './errors/messages.constants.js';
import { ServiceClientConfigurationError } from './errors/service-client-configuration.error.js';
import type { ServiceClientModuleOptions } from './interfaces/service-client-module-options.interface.js';
import { checkNumber, checkObject, invalid, propagatedHeaderNames } from './options/option-checks.js';
import { assertKnownOptionKeys } from './options/option-keys.js';
import { resolveServiceOptions, type ResolvedServiceOptions } from './options/resolve-service-options.js';
import { httpPoolFactory } from './pools/http-pool.factory.js';
import { DeadlineTimers } from './request/deadline-timers.js';
import type { ServiceRuntime } from './request/service-runtime.js';
import { createServicePolicy } from './resilience/service-policy.js';
import { RetryBudget } from './retry-budget/retry-budget.js';
import { ServiceClientProxy } from './microservices/service-client.proxy.js';
import { tcpClientFactory } from './microservices/tcp-client.factory.js';
import { createStrategy } from './strategies/create-strategy.js';
import { ServiceClient } from './service-client.js';
import { SERVICE_CLIENT_MODULE_OPTIONS } from './service-client.module-definition.js';

/** Default of `maxServices`. */
const DEFAULT_MAX_SERVICES = 64;

/**
 * All the service clients of the app: the configured ones, and (up to `maxServices`) clients created on
 * demand with `defaults` for other names, e.g. by a gateway that routes by service name. Closes every pool and
 * watch when the app shuts down.
 *
 * @example
 * const response = await clients.get(serviceFromPath).request({ method: 'GET', path: '/' });
 */
@Injectable()
export class ServiceClients implements OnApplicationShutdown {
  private readonly configured = new Map<string, ResolvedServiceOptions>();
  private readonly clients = new Map<string, ServiceClient>();
  private readonly proxies = new Map<string, ServiceClientProxy>();
  private readonly runtimes: Array<ServiceRuntime<unknown>> = [];
  private readonly maxServices: number;
  private readonly policies: ResiliencePolicyFactory;
  /** The app closed: no runtime (pools, watches) is made any more. */
  private closed = false;

  constructor(
    @Inject(SERVICE_CLIENT_MODULE_OPTIONS) private readonly options: ServiceClientModuleOptions,
    // Optional so that a missing ServiceDiscoveryModule gets our message, not Nest's "can't resolve dependencies",
    // and so that clients of static origins alone need none.
    @Optional() @Inject(ServiceDiscovery) private readonly discovery: ServiceDiscovery | undefined,
    @Optional() policies?: ResiliencePolicyFactory,
  ) {
    // The app's factory when it imports ResilienceModule (named policies, registry, health), else a standalone one.
    this.policies = policies ?? new ResiliencePolicyFactory();
    const where = 'ServiceClientModule';
    if (typeof options === 'object' && options !== null) assertKnownOptionKeys(options);
    const services = checkObject<ServiceClientModuleOptions['services']>(where, 'services', options?.services);
    if (services === undefined) invalid(where, 'services', options?.services, 'Pass { services: { orders: {} } } (one key per service to call).');
    checkObject(where, 'defaults', options.defaults);
    propagatedHeaderNames(options.propagateHeaders);
    this.maxServices = checkNumber(where, 'maxServices', options.maxServices, DEFAULT_MAX_SERVICES, { min: 0, integer: true });
    for (const [key, own] of Object.entries(services)) this.configured.set(key, resolveServiceOptions(key, options.defaults, own));
    const discovered = [...this.configured.values()].some((service) => service.origin === undefined);
    if (discovery === undefined && (discovered || this.configured.size === 0)) throw new ServiceClientConfigurationError(messages.missingDiscovery());
  }

  /**
   * The client of `name`: the configured one, or one created with `defaults` while fewer than `maxServices`
   * unconfigured services are followed (a `ServiceClientConfigurationError` beyond).
   */
  get(name: string): ServiceClient {
    let client = this.clients.get(name);
    if (client !== undefined) return client;
    const options = this.optionsOf(name);
    client = new ServiceClient(this.runtime(options, httpPoolFactory(options.pool, options.origin?.protocol === 'https:' ? 'https:' : 'http:')));
    this.clients.set(name, client);
    return client;
  }

  /**
   * The TCP `ServiceClientProxy` of `name` (same options, strategy kind and limits as {@link get}); it reaches
   * the TCP port each instance registered (`ports.tcp`).
   */
  proxy(name: string): ServiceClientProxy {
    let proxy = this.proxies.get(name);
    if (proxy === undefined) {
      const options = this.optionsOf(name);
      // A strategy of its own (a built-in, or from the user's factory): the TCP endpoints are not the HTTP ones.
      const where = `ServiceClientModule (service "${name}")`;
      const strategy = createStrategy(this.options.services[name]?.strategy ?? this.options.defaults?.strategy, where);
      const tcpOptions = { ...options, key: `${options.key}:tcp`, strategy };
      proxy = new ServiceClientProxy(() => this.runtime(tcpOptions, tcpClientFactory(options.serviceName, options.maxReplySize)));
      this.proxies.set(name, proxy);
    }
    return proxy;
  }

  /** Names of the configured services. */
  configuredNames(): string[] {
    return [...this.configured.keys()];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.policies.onApplicationShutdown(); // a standalone factory's retries stop with the app too
    const runtimes = this.runtimes.splice(0);
    this.clients.clear();
    this.proxies.clear();
    await Promise.all(runtimes.map((runtime) => runtime.balancer.close()));
  }

  /** The options of a configured service, or defaults for another name within `maxServices`. */
  private optionsOf(name: string): ResolvedServiceOptions {
    const configured = this.configured.get(name);
    if (configured !== undefined) return configured;
    if (typeof name !== 'string' || name === '') invalid('ServiceClients', 'name', name, 'Pass a service name, e.g. "orders".');
    const followed = new Set([...this.clients.keys(), ...this.proxies.keys()].filter((key) => !this.configured.has(key)));
    if (!followed.has(name) && followed.size >= this.maxServices) {
      throw new ServiceClientConfigurationError(this.maxServices === 0 ? messages.unknownService(name, [...this.configured.keys()]) : messages.tooManyServices(name, this.maxServices));
    }
    const options = resolveServiceOptions(name, this.options.defaults, {});
    if (options.origin === undefined && this.discovery === undefined) throw new ServiceClientConfigurationError(messages.missingDiscovery());
    return options;
  }

  /** @internal The shared parts of a service's calls for one transport. */
  runtime<C>(options: ResolvedServiceOptions, connections: ConnectionFactory<C>): ServiceRuntime<C> {
    if (this.closed) throw new ServiceClientConfigurationError(messages.closed(options.serviceName));
    // A static origin's one instance, else the service in discovery (present: checked when the options were resolved).
    const source = options.origin === undefined
      ? discoverySource(this.discovery!, options.serviceName, options.tags)
      : originSource(options.key, options.origin);
    const budget = options.retryBudget === false ? undefined : new RetryBudget(options.retryBudget);
    const runtime: ServiceRuntime<C> = {
      options,
      balancer: new ServiceBalancer<C>(options, source, connections),
      budget,
      policy: createServicePolicy(this.policies, options, budget),
      deadlines: new DeadlineTimers(options.deadline),
    };
    this.runtimes.push(runtime as ServiceRuntime<unknown>);
    return runtime;
  }
}

