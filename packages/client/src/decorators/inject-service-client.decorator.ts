import { Inject } from '@nestjs/common';
import { SERVICE_CLIENT_TOKEN_PREFIX } from '../service-client.constants.js';

/** @internal Names used with `@InjectServiceClient()`, so `registerAsync()` can provide their tokens. */
export const injectedServiceNames = new Set<string>();

/**
 * The injection token of the `ServiceClient` registered as `name` (as `getRepositoryToken()` is for TypeORM),
 * e.g. to get it from a `ModuleRef` or to override it in a test.
 *
 * @example
 * const orders = app.get<ServiceClient>(getServiceClientToken('orders'));
 */
export function getServiceClientToken(name: string): string {
  return `${SERVICE_CLIENT_TOKEN_PREFIX}${name}`;
}

/**
 * Injects the `ServiceClient` of the service registered as `name` in `ServiceClientModule.register({ services })`.
 *
 * @example
 * constructor(@InjectServiceClient('orders') private readonly orders: ServiceClient) {}
 */
export function InjectServiceClient(name: string): ParameterDecorator & PropertyDecorator {
  injectedServiceNames.add(name);
  return Inject(getServiceClientToken(name));
}

/** @internal Names used with `@InjectServiceClientProxy()`. */
export const injectedProxyNames = new Set<string>();

/** The injection token of the TCP `ServiceClientProxy` of the service registered as `name`. */
export function getServiceClientProxyToken(name: string): string {
  return `${SERVICE_CLIENT_TOKEN_PREFIX}proxy:${name}`;
}

/**
 * Injects the TCP `ServiceClientProxy` (`@nestjs/microservices`) of the service registered as `name`.
 *
 * @example
 * constructor(@InjectServiceClientProxy('orders') private readonly orders: ServiceClientProxy) {}
 */
export function InjectServiceClientProxy(name: string): ParameterDecorator & PropertyDecorator {
  injectedProxyNames.add(name);
  return Inject(getServiceClientProxyToken(name));
}
