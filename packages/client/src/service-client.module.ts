import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { PropagationInterceptor } from './context/propagation.interceptor.js';
import { getServiceClientProxyToken, getServiceClientToken, injectedProxyNames, injectedServiceNames } from './decorators/inject-service-client.decorator.js';
import { InjectedServicesExplorer } from './decorators/injected-services.explorer.js';
import {
  SERVICE_CLIENT_ASYNC_OPTIONS_TYPE,
  SERVICE_CLIENT_OPTIONS_TYPE,
  ServiceClientConfigurableModule,
} from './service-client.module-definition.js';
import { ServiceClients } from './service-clients.js';

/**
 * A token per name: the names of this module's options, and the names any class of the process injects (the
 * tokens must exist before DI runs). Those a class of another app injects resolve to `undefined` here: this
 * app neither follows them nor counts them against `maxServices`.
 */
function clientProviders(names: Iterable<string>): Provider[] {
  const listed = new Set(names);
  type Create = (clients: ServiceClients, name: string) => unknown;
  const providers = (injectedNames: Set<string>, token: (name: string) => string, create: Create) =>
    [...new Set([...listed, ...injectedNames])].map((name) => ({
      provide: token(name),
      useFactory: (clients: ServiceClients, injected: InjectedServicesExplorer) =>
        listed.has(name) || injected.uses(token(name)) || clients.configuredNames().includes(name)
          ? create(clients, name)
          : undefined,
      inject: [ServiceClients, InjectedServicesExplorer],
    }));
  return [
    ...providers(injectedServiceNames, getServiceClientToken, (clients, name) => clients.get(name)),
    ...providers(injectedProxyNames, getServiceClientProxyToken, (clients, name) => clients.proxy(name)),
  ];
}

function withClients(module: DynamicModule, names: Iterable<string>): DynamicModule {
  const providers = clientProviders(names);
  return {
    ...module,
    providers: [...(module.providers ?? []), ...providers],
    exports: [...(module.exports ?? []), ServiceClients, ...providers.map((provider) => (provider as { provide: string }).provide)],
  };
}

/**
 * Clients for other services, found through the app's `ServiceDiscovery` (import `ServiceDiscoveryModule`
 * too), load-balanced per request and made resilient per service and per instance. Each service's
 * `ServiceClient` injects with `@InjectServiceClient(name)`; `ServiceClients` gives any of them by name.
 * Also registers a global interceptor that propagates `x-request-id` / `traceparent` (see `propagateHeaders`).
 *
 * @example
 * @Module({
 *   imports: [ServiceDiscoveryModule.forRoot({}), ServiceClientModule.register({ services: { orders: {} } })],
 * })
 * export class AppModule {}
 *
 * ServiceClientModule.registerAsync({ serviceNames: ['orders'], inject: [ConfigService], useFactory: (c: ConfigService) => c.get('clients') })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [ServiceClients, InjectedServicesExplorer, { provide: APP_INTERCEPTOR, useClass: PropagationInterceptor }],
  exports: [ServiceClients],
})
export class ServiceClientModule extends ServiceClientConfigurableModule {
  /** Registers the clients of `options.services`. */
  static override register(options: typeof SERVICE_CLIENT_OPTIONS_TYPE): DynamicModule {
    return withClients(super.register(options), Object.keys(options?.services ?? {}));
  }

  /** Registers the clients with options from a factory; list the service names in `serviceNames` (or use `@InjectServiceClient`). */
  static override registerAsync(options: typeof SERVICE_CLIENT_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withClients(super.registerAsync(options), options.serviceNames ?? []);
  }
}
