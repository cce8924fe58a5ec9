import { Inject } from '@nestjs/common';
import { SERVICE_CLIENT_TOKEN_PREFIX } from '../service-client.constants.js';

/**
 * @internal Every name used with `@InjectServiceClient()` in the process. Injection tokens must exist before
 * Nest resolves anything, so each module declares a token per name; which of them an app really uses (and so
 * follows) is read from its own providers at bootstrap (`InjectedServicesExplorer`).
 */
export const injectedServiceNames = new Set<string>();

/** Metadata key of the client and proxy tokens a class injects (`string[]`). */
const INJECTED_SERVICES_METADATA = 'NESTMESH:client:injected-services';

/** @internal The client and proxy tokens a class (or a class it extends) injects with the decorators below. */
export function injectedTokens(type: unknown): readonly string[] {
  if (typeof type !== 'function') return [];
  return (Reflect.getMetadata(INJECTED_SERVICES_METADATA, type) as string[] | undefined) ?? [];
}

/** `@Inject(token)` that also records `token` on the class (constructor parameter, property or method parameter). */
function injectService(token: string): ParameterDecorator & PropertyDecorator {
  // Nest's decorator is one function for both uses (the index is absent on a property).
  const inject = Inject(token) as (target: object, key: string | symbol | undefined, index?: number) => void;
  return (target: object, key: string | symbol | undefined, index?: number) => {
    const owner = typeof target === 'function' ? target : target.constructor;
    Reflect.defineMetadata(INJECTED_SERVICES_METADATA, [...injectedTokens(owner), token], owner);
    inject(target, key, index);
  };
}

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
  return injectService(getServiceClientToken(name));
}

/** @internal Every name used with `@InjectServiceClientProxy()` in the process (see {@link injectedServiceNames}). */
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
  return injectService(getServiceClientProxyToken(name));
}
