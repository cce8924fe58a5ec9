import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PropagationInterceptor } from './context/propagation.interceptor.js';
import { getServiceClientProxyToken, getServiceClientToken, injectedProxyNames, injectedServiceNames } from './decorators/inject-service-client.decorator.js';
import {
  SERVICE_CLIENT_ASYNC_OPTIONS_TYPE,
  SERVICE_CLIENT_OPTIONS_TYPE,
  ServiceClientConfigurableModule,
} from './service-client.module-definition.js';
import { ServiceClients } from './service-clients.js';

function clientProviders(names: Iterable<string>): Provider[] {
  const http = [...new Set([...names, ...injectedServiceNames])].map((name) => ({
    provide: getServiceClientToken(name),
    useFactory: (clients: ServiceClients) => clients.get(name),
    inject: [ServiceClients],
  }));
  const tcp = [...new Set([...names, ...injectedProxyNames])].map((name) => ({
    provide: getServiceClientProxyToken(name),
    useFactory: (clients: ServiceClients) => clients.proxy(name),
    inject: [ServiceClients],
  }));
  return [...http, ...tcp];
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
  providers: [ServiceClients, { provide: APP_INTERCEPTOR, useClass: PropagationInterceptor }],
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
