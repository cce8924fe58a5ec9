import type { AnyMethod } from './method-invoker.js';

/**
 * @internal One decorated method as written: the original function, the prototype that defines it and its
 * name. The function installed in its place (the dispatcher) finds, per call, the policies of the app that owns
 * `this` (see `ResilienceScope`), so no app's state lives on the shared prototype.
 */
export interface MethodSite {
  readonly original: AnyMethod;
  readonly owner: object;
  readonly name: string | symbol;
  readonly dispatcher: AnyMethod;
  /** Per instance: the wrapped method of the scope it was resolved in (dropped when that scope closes). */
  readonly bound: WeakMap<object, { readonly scope: { readonly closed: boolean }; readonly method: AnyMethod }>;
}

const sites = new WeakMap<object, MethodSite>();

/** @internal Copies route, guard and `@MessagePattern` metadata, and the name, from one function to another. */
export function carryMetadata(from: AnyMethod, to: AnyMethod): void {
  for (const key of Reflect.getOwnMetadataKeys(from)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, from), to);
  Object.defineProperty(to, 'name', { value: from.name, configurable: true });
}

/** @internal The site a dispatcher stands for. */
export const siteOf = (fn: unknown): MethodSite | undefined => (typeof fn === 'function' ? sites.get(fn) : undefined);

/** @internal Records a site. */
export function registerSite(site: MethodSite): void {
  sites.set(site.dispatcher, site);
}

/** @internal Every decorated site a class's instances use, nearest first (each name once, as JavaScript resolves it, plus overridden bases reached through `super`). */
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
    const value = Object.getOwnPropertyDescriptor(proto, site.name)?.value;
    if (siteOf(value) !== undefined) {
      return `${base} (${(site.owner as { constructor: { name: string } }).constructor.name})`;
    }
  }
  return base;
}
