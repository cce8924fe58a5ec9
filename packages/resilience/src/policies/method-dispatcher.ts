import { checkLiteralOptions, checkNotRepeated, checkPlacement, decoratorLabel, memberName } from './definition-checks.js';
import type { AnyMethod } from './method-invoker.js';
import { carryMetadata, registerSite, siteOf, type MethodSite } from './method-site.js';
import { resolveMethod } from '../resilience.scope.js';

/**
 * @internal The method decorator behind `@CircuitBreaker`, `@Retry`, `@Timeout`, `@Bulkhead` and `@Fallback`:
 * stores the metadata on the original function and, once per method, puts a dispatcher in its place. The
 * dispatcher holds no policy: per call it runs the wrapped method of the app that owns `this` (see
 * `ResilienceScope`), so two apps in one process keep their own breakers, and the router and microservice
 * listeners, which read handler metadata from the prototype and may capture the handler before the app
 * adopts its instances, go through the policies too.
 *
 * When applied (the class being defined) it checks its place and its own literal options; what depends on the
 * module (policy names, `defaults`) is checked at bootstrap.
 */
export function resilienceDecorator(metadataKey: string, value: unknown, decorator: string): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor | undefined) => {
    const where = `${memberName(target, key)}: ${decoratorLabel(decorator, value)}`;
    checkPlacement(where, descriptor);
    checkLiteralOptions(decorator, where, value);
    const current = descriptor!.value as AnyMethod;
    const existing = siteOf(current);
    const original = existing?.original ?? current;
    checkNotRepeated(where, metadataKey, original);
    Reflect.defineMetadata(metadataKey, value, original);
    if (existing !== undefined) {
      Reflect.defineMetadata(metadataKey, value, existing.dispatcher);
      return descriptor;
    }
    descriptor!.value = createDispatcher(target, key, original);
    return descriptor;
  };
}

function createDispatcher(owner: object, name: string | symbol, original: AnyMethod): AnyMethod {
  const bound: MethodSite['bound'] = new WeakMap();
  const site: { -readonly [K in keyof MethodSite]: MethodSite[K] } = { original, owner, name, bound, dispatcher: original };
  site.dispatcher = function (this: unknown, ...args: unknown[]) {
    const entry = bound.get(this as object);
    if (entry !== undefined && !entry.scope.closed) return entry.method.apply(this, args);
    return resolveMethod(site, this).apply(this, args);
  };
  // Route, guard and @MessagePattern metadata written below this decorator live on the original: carry them over.
  carryMetadata(original, site.dispatcher);
  registerSite(site);
  return site.dispatcher;
}
