import { checkLiteralOptions, checkNotRepeated, checkPlacement, decoratorLabel, memberName } from './definition-checks.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import { staticPolicyNameMessage } from '../errors/messages.constants.js';
import type { AnyMethod } from './method-invoker.js';
import { DECORATOR_METADATA, type ResilienceDecoratorName } from '../resilience.constants.js';
import { resolveMethod } from '../resilience.scope.js';

/** @internal One decorated method as written (the original, its prototype and name) and its dispatcher. */
export interface MethodSite {
  readonly original: AnyMethod;
  readonly owner: object;
  readonly name: string | symbol;
  readonly dispatcher: AnyMethod;
  /** Per instance: the wrapped method of the scope it was resolved in (dropped when that scope closes). */
  readonly bound: WeakMap<object, { readonly scope: { readonly closed: boolean }; readonly method: AnyMethod }>;
}

/** The site of each dispatcher. */
const sites = new WeakMap<object, MethodSite>();

/**
 * @internal The method decorator behind `@CircuitBreaker`, `@Retry`, `@Timeout`, `@Bulkhead` and `@Fallback`:
 * checks its place and literal options, stores the metadata on the original function and, once per method, puts
 * a dispatcher in its place. The dispatcher holds no policy: per call it runs the wrapped method of the app that
 * owns `this` (see `ResilienceScope`), so no app's state lives on the shared prototype, two apps in one process
 * keep their own breakers, and a handler the router captured before adoption goes through the policies too.
 */
export function resilienceDecorator(value: unknown, decorator: ResilienceDecoratorName): MethodDecorator {
  const metadataKey = DECORATOR_METADATA[decorator];
  return (target, key, descriptor: PropertyDescriptor | undefined) => {
    const where = `${memberName(target, key)}: ${decoratorLabel(decorator, value)}`;
    checkPlacement(where, descriptor);
    if (typeof target === 'function' && typeof value === 'string') throw new ResilienceConfigurationError(staticPolicyNameMessage(where));
    checkLiteralOptions(decorator, where, value);
    const current = descriptor!.value as AnyMethod;
    const existing = siteOf(current);
    const original = existing?.original ?? current;
    checkNotRepeated(where, metadataKey, original);
    Reflect.defineMetadata(metadataKey, value, original);
    if (existing !== undefined) Reflect.defineMetadata(metadataKey, value, existing.dispatcher);
    else descriptor!.value = createDispatcher(target, key, original);
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
  sites.set(site.dispatcher, site);
  return site.dispatcher;
}

/** @internal Copies route, guard and `@MessagePattern` metadata, and the name, from one function to another. */
export function carryMetadata(from: AnyMethod, to: AnyMethod): void {
  for (const key of Reflect.getOwnMetadataKeys(from)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, from), to);
  Object.defineProperty(to, 'name', { value: from.name, configurable: true });
}

/** The site a dispatcher stands for. */
const siteOf = (fn: unknown): MethodSite | undefined => (typeof fn === 'function' ? sites.get(fn) : undefined);

/**
 * @internal Every decorated site a class's instances use, nearest first (each name once, as JavaScript resolves
 * it, plus overridden bases reached through `super`).
 */
export function sitesOf(cls: abstract new (...args: never[]) => unknown): MethodSite[] {
  const found: MethodSite[] = [];
  for (let proto: object | null = cls.prototype as object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor') continue;
      const site = siteOf(Object.getOwnPropertyDescriptor(proto, key)?.value);
      if (site !== undefined) found.push(site);
    }
  }
  return found;
}

/**
 * @internal The registry name of a site used by instances of `concrete`: `Concrete.method`. A decorated base
 * method reached through `super` from a decorated override is `Concrete.method (Base)`, so the two keep apart.
 */
export function siteMethodName(site: MethodSite, concrete: { readonly name: string; readonly prototype: unknown }): string {
  const base = `${concrete.name || 'anonymous'}.${String(site.name)}`;
  for (let proto = concrete.prototype as object | null; proto && proto !== site.owner; proto = Object.getPrototypeOf(proto) as object | null) {
    if (siteOf(Object.getOwnPropertyDescriptor(proto, site.name)?.value) !== undefined) {
      return `${base} (${(site.owner as { constructor: { name: string } }).constructor.name})`;
    }
  }
  return base;
}
