import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ServiceClients, type ServiceClientOptions } from '@nestmesh/client';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { ResiliencePolicyFactory } from '@nestmesh/resilience';
import { ApiKeyVerifier } from './auth/api-key.verifier.js';
import { Authenticator, type AuthenticationMode } from './auth/authenticator.js';
import { FailedAuthenticationLimiter } from './auth/failed-authentication.limiter.js';
import { JwtVerifier } from './auth/jwt-verifier.js';
import { MemoryCacheStore } from './cache/memory-cache.store.js';
import { RedisCacheStore } from './cache/redis-cache.store.js';
import { ResponseCache } from './cache/response-cache.js';
import { TrustedProxies } from './edge/trusted-proxies.js';
import { GatewayConfigurationError } from './errors/gateway-configuration.error.js';
import { messages } from './errors/messages.constants.js';
import { GATEWAY_MODULE_OPTIONS } from './gateway.module-definition.js';
import type { GatewayModuleOptions } from './interfaces/gateway-module-options.interface.js';
import { resolveCacheOptions, resolveDefaultAuth, resolveFailureLimit, resolveLimits, type ResolvedLimits } from './options/bootstrap-values.js';
import { assertModuleOptionKeys } from './options/option-keys.js';
import { GatewayProxy } from './pipeline/gateway-proxy.js';
import { OpenTunnels } from './proxy/open-tunnels.js';
import { ServiceOutages } from './proxy/service-outages.js';
import { MemoryThrottlerStorage } from './throttler/memory-throttler.storage.js';
import { compileRoutes } from './routing/compile-routes.js';
import { servicesOf, type CompiledRoute } from './routing/compiled-route.js';
import { TCP_REPLY_FRAMING } from './gateway.constants.js';
import { RouteTable } from './routing/route-table.js';

/**
 * The gateway of the app: checks the options and routes at bootstrap (a `GatewayConfigurationError` for
 * anything wrong), builds the verifiers, throttler storage, cache and upstream clients, and closes them on
 * shutdown. `GatewayModule` attaches its proxy to the HTTP adapter.
 */
@Injectable()
export class GatewayService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  /** The routes, most specific first. */
  readonly routes: readonly CompiledRoute[];
  private readonly storage: ThrottlerStorage | undefined;
  private readonly authenticator: Authenticator;
  private readonly failedAuthentication: FailedAuthenticationLimiter;
  private readonly cache: ResponseCache | undefined;
  /** The limits in force (defaults applied). */
  readonly resolvedLimits: Readonly<ResolvedLimits>;
  private readonly serviceOptions: Record<string, ServiceClientOptions>;
  private readonly trustedProxies: TrustedProxies;
  private clients: ServiceClients | undefined;
  private proxyInstance: GatewayProxy | undefined;
  private readonly tunnels = new OpenTunnels();

  constructor(
    @Inject(GATEWAY_MODULE_OPTIONS) private readonly options: GatewayModuleOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    if (typeof options !== 'object' || options === null) throw new GatewayConfigurationError(messages.invalidGatewayOption('options', options, 'Pass { routes: [...] }.'));
    assertModuleOptionKeys(options);
    this.resolvedLimits = resolveLimits(options.limits);
    const cache = resolveCacheOptions(options.cache);
    const auth = options.auth ?? {};
    const jwt = auth.jwt === undefined ? undefined : auth.jwt instanceof JwtVerifier ? auth.jwt : new JwtVerifier(auth.jwt);
    const apiKeys = auth.apiKeys === undefined ? undefined : new ApiKeyVerifier(auth.apiKeys);
    this.authenticator = new Authenticator({ jwt, apiKeys, apiKeyHeader: auth.apiKeyHeader, realm: auth.realm });
    const modes = new Set<AuthenticationMode>(['public', ...(jwt ? (['jwt'] as const) : []), ...(apiKeys ? (['api-key'] as const) : []), ...(jwt || apiKeys ? (['any'] as const) : [])]);
    const throttlers = options.throttlers ?? [];
    if (!Array.isArray(throttlers)) throw new GatewayConfigurationError(messages.invalidGatewayOption('throttlers', throttlers, 'Use a list such as [{ name: "burst", limit: 20, ttl: 1000 }].'));
    const { routes, clients } = compileRoutes(options.routes, {
      throttlers,
      authModes: modes,
      defaultAuth: resolveDefaultAuth(auth.default, modes),
      maxBodySize: this.resolvedLimits.maxBodySize,
      maxResponseSize: this.resolvedLimits.maxResponseSize,
    });
    this.routes = routes;
    this.serviceOptions = { ...options.services };
    for (const route of routes) for (const service of servicesOf(route.target)) this.serviceOptions[service] ??= {};
    for (const [key, { service, options: own }] of clients) this.serviceOptions[key] = { ...options.services?.[service], ...own };
    // A TCP leg's reply is cut as it arrives past the largest leg limit of its service (and Nest's framing), unless set.
    for (const route of routes) {
      for (const leg of route.target.kind === 'aggregate' ? route.target.legs : []) {
        if (leg.kind !== 'tcp' || options.services?.[leg.service]?.maxReplySize !== undefined || options.clientDefaults?.maxReplySize !== undefined) continue;
        const own = this.serviceOptions[leg.service];
        this.serviceOptions[leg.service] = { ...own, maxReplySize: Math.max(own.maxReplySize ?? 0, route.maxResponseSize + TCP_REPLY_FRAMING) };
      }
    }
    // The failure limit of authentication needs a storage even where no route throttles.
    const failureLimit = resolveFailureLimit(auth.failureLimit);
    this.storage = failureLimit || routes.some((route) => route.throttlers.length > 0) ? (options.throttlerStorage ?? new MemoryThrottlerStorage()) : options.throttlerStorage;
    this.failedAuthentication = new FailedAuthenticationLimiter(this.authenticator, this.storage, failureLimit);
    this.trustedProxies = TrustedProxies.parse(options.trustedProxies);
    if (routes.some((route) => route.cache)) {
      this.cache = new ResponseCache(cache.redis ? new RedisCacheStore(cache.redis, cache.keyPrefix, cache.timeout) : new MemoryCacheStore(cache.maxBytes), cache.maxEntryBytes, cache.maxVariants, auth.apiKeyHeader);
    }
  }

  /** @internal The request handler, built once the app's providers exist (discovery, resilience). */
  proxy(): GatewayProxy {
    if (this.proxyInstance) return this.proxyInstance;
    const serviceRoutes = this.routes.filter((route) => servicesOf(route.target).length > 0);
    const discovery = serviceRoutes.length > 0 ? this.optional(ServiceDiscovery) : undefined;
    if (serviceRoutes.length > 0 && !discovery) throw new GatewayConfigurationError(messages.discoveryMissing(serviceRoutes.map((route) => JSON.stringify(route.id))));
    // Static `url` origins are clients too (over one fixed endpoint): a url-only gateway needs no discovery.
    const services = discovery ? this.serviceOptions : Object.fromEntries(Object.entries(this.serviceOptions).filter(([, own]) => own.origin !== undefined));
    if (Object.keys(services).length > 0) {
      this.clients = new ServiceClients({ services, defaults: this.options.clientDefaults, propagateHeaders: false, maxServices: 0 }, discovery, this.optional(ResiliencePolicyFactory));
      for (const key of Object.keys(services)) this.clients.get(key); // follow each service from the start
    }
    this.proxyInstance = new GatewayProxy({
      table: new RouteTable(this.routes),
      authenticator: this.authenticator,
      failedAuthentication: this.failedAuthentication,
      realm: this.options.auth?.realm ?? 'api',
      storage: this.storage,
      clients: this.clients,
      outages: new ServiceOutages(),
      tunnels: this.tunnels,
      cache: this.cache,
      trustedProxies: this.trustedProxies,
      // A frozen copy: its Set of identity header names is then built once, not per request.
      extraIdentityHeaders: Object.freeze([...(this.options.identityHeaders ?? [])]),
      trustRequestId: this.options.trustRequestId ?? true,
      maxHeaderSize: this.resolvedLimits.maxHeaderSize,
      bodyTimeout: this.resolvedLimits.bodyTimeout,
      get: (token) => this.moduleRef.get(token as never, { strict: false }),
    });
    return this.proxyInstance;
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([(this.storage as Partial<OnModuleInit> | undefined)?.onModuleInit?.(), this.cache?.ready()]);
  }

  /** Ends the open WebSocket tunnels before the HTTP server waits for its connections (it would wait for their clients). */
  beforeApplicationShutdown(): Promise<void> {
    return this.tunnels.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.clients?.onApplicationShutdown(),
      this.cache?.close(),
      (this.storage as Partial<OnApplicationShutdown> | undefined)?.onApplicationShutdown?.(),
    ]);
  }

  private optional<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
