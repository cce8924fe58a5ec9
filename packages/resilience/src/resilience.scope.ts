import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { throwError } from 'rxjs';
import { notAProviderMessage } from './errors/messages.constants.js';
import { ResilienceConfigurationError } from './errors/resilience-configuration.error.js';
import type { ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import { decoratorLabel } from './policies/definition-checks.js';
import type { AnyMethod } from './policies/method-invoker.js';
import { buildMethodPlan, decorationOf, returnsObservable } from './policies/method-plan.builder.js';
import { carryMetadata, siteMethodName, sitesOf, type MethodSite } from './policies/method-dispatcher.js';
import { observableMethod } from './policies/observable-method.js';
import { PolicyPartsBuilder } from './policies/policy-parts.builder.js';
import { promiseMethod } from './policies/promise-method.js';
import { RESILIENCE_LOGGER_CONTEXT } from './resilience.constants.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { ResilienceRegistry } from './resilience.registry.js';

type Class = abstract new (...args: never[]) => unknown;

/** The scope of each adopted instance, and of the classes whose instances appear later (request-scoped, transient). */
const instanceScopes = new WeakMap<object, ResilienceScope>();
const classScopes = new Map<Class, ResilienceScope[]>();
let standalone: ResilienceScope | undefined;

/**
 * @internal The resilience state of one app: its options, its registry and the wrapped methods built from them,
 * per decorated method and concrete class. It closes with the app, and calls then stop reaching its breakers.
 * Calls outside every app that imports `ResilienceModule` (`new Service()`, an app without the module) run in one
 * standalone scope with the built-in defaults: a decorated method is never silently unprotected.
 */
@Injectable()
export class ResilienceScope implements OnApplicationShutdown {
  closed = false;
  readonly parts: PolicyPartsBuilder;
  private readonly methods = new Map<MethodSite, Map<Class, AnyMethod>>();
  private readonly createdLater = new Set<Class>();
  private readonly fallbackFor = new Set<Class>();
  private isBooted = false;
  private readonly installed: Array<{ readonly instance: object; readonly name: string | symbol; readonly method: AnyMethod }> = [];
  private readonly logger = new Logger(RESILIENCE_LOGGER_CONTEXT);

  constructor(@Inject(RESILIENCE_MODULE_OPTIONS) options: ResilienceModuleOptions, registry: ResilienceRegistry) {
    this.parts = new PolicyPartsBuilder(options ?? {}, registry, () => this.closed);
  }

  /**
   * Makes `instance` (and its class) use this scope and validates its policies. Each decorated method it resolves
   * to becomes an own property holding the wrapped method, so direct calls skip the dispatcher's lookup.
   */
  adopt(instance: object): void {
    if (this.closed) return;
    instanceScopes.set(instance, this);
    const cls = (Object.getPrototypeOf(instance) as { constructor: Class }).constructor;
    this.adoptClass(cls);
    for (const site of sitesOf(cls)) {
      if (!Object.isExtensible(instance) || Object.prototype.hasOwnProperty.call(instance, site.name)) continue;
      // Only the method the instance resolves to: an override calling super.get() must stay in place.
      if ((cls.prototype as Record<string | symbol, unknown>)[site.name] !== site.dispatcher) continue;
      const method = this.methodFor(site, cls);
      Object.defineProperty(instance, site.name, { value: method, writable: true, configurable: true, enumerable: false });
      this.installed.push({ instance, name: site.name, method });
    }
  }

  /**
   * Builds the policies of `cls`'s methods. Until {@link booted}, and after it with `createdLater` (request-scoped,
   * transient), its unadopted instances are this scope's too; once booted, `new Service()` runs standalone.
   */
  adoptClass(cls: Class, createdLater = false): void {
    if (this.closed) return;
    if (createdLater) this.createdLater.add(cls);
    if ((createdLater || !this.isBooted) && !this.fallbackFor.has(cls)) {
      this.fallbackFor.add(cls);
      classScopes.set(cls, [...(classScopes.get(cls) ?? []), this]);
    }
    for (const site of sitesOf(cls)) this.methodFor(site, cls);
  }

  /** The app's instances are adopted: only classes created later still fall back to this scope. */
  booted(): void {
    this.isBooted = true;
    for (const cls of this.fallbackFor) if (!this.createdLater.has(cls)) this.forgetClass(cls);
  }

  /** The wrapped method of `site` for instances of `concrete`, built once. Throws `ResilienceConfigurationError`. */
  methodFor(site: MethodSite, concrete: Class): AnyMethod {
    let perClass = this.methods.get(site);
    if (perClass === undefined) this.methods.set(site, (perClass = new Map()));
    let method = perClass.get(concrete);
    if (method === undefined) {
      method = this.build(site, siteMethodName(site, concrete));
      // Nest reads handlers, and so their metadata, from the instance: this function once adopted.
      carryMetadata(site.dispatcher, method);
      perClass.set(concrete, method);
    }
    return method;
  }

  onApplicationShutdown(): void {
    this.close();
  }

  /** Forgets this app: its classes and instances fall back to another live app's scope, or the standalone one. */
  close(): void {
    this.closed = true;
    for (const cls of this.fallbackFor) this.forgetClass(cls);
    this.createdLater.clear();
    this.methods.clear();
    for (const { instance, name, method } of this.installed.splice(0)) {
      if (Object.getOwnPropertyDescriptor(instance, name)?.value === method) Reflect.deleteProperty(instance, name);
    }
  }

  private forgetClass(cls: Class): void {
    this.fallbackFor.delete(cls);
    const scopes = classScopes.get(cls)?.filter((scope) => scope !== this) ?? [];
    if (scopes.length === 0) classScopes.delete(cls);
    else classScopes.set(cls, scopes);
  }

  private build(site: MethodSite, method: string): AnyMethod {
    const plan = buildMethodPlan(this.parts, method, site);
    if (returnsObservable(site)) return observableMethod(plan, site.original);
    let warned = false;
    return promiseMethod(plan, site.original, () => {
      if (warned) return;
      warned = true;
      this.logger.warn(
        `${method} returned an Observable, but its design:returntype metadata does not name Observable, so it returns a Promise ` +
          'of the last value and the policies cover the whole call, not each subscription. Fix: declare `: Observable<T>` and ' +
          "import Observable as a value (`import { Observable } from 'rxjs'`, not `import type`).",
      );
    });
  }
}

/**
 * @internal The wrapped method a dispatcher runs for `self`: in the scope of the app that created `self` (for an
 * instance created after bootstrap, the last live app creating its class), else in the standalone scope. Cached
 * per instance until that scope closes. Bad options in the standalone scope reject the call.
 */
export function resolveMethod(site: MethodSite, self: unknown): AnyMethod {
  const concrete = concreteClassOf(site, self);
  const scope = scopeFor(self, concrete);
  let method: AnyMethod;
  try {
    if (scope === standalone) checkNoPolicyName(site, siteMethodName(site, concrete), concrete.name || 'anonymous');
    method = scope.methodFor(site, concrete);
  } catch (error) {
    return rejecting(site, error);
  }
  if ((typeof self === 'object' && self !== null) || typeof self === 'function') site.bound.set(self, { scope, method });
  return method;
}

function scopeFor(self: unknown, concrete: Class): ResilienceScope {
  const adopted = typeof self === 'object' && self !== null ? instanceScopes.get(self) : undefined;
  if (adopted !== undefined && !adopted.closed) return adopted;
  const live = classScopes.get(concrete);
  if (live !== undefined && live.length > 0) return live[live.length - 1]!;
  standalone ??= new ResilienceScope({}, new ResilienceRegistry({}));
  return standalone;
}

function concreteClassOf(site: MethodSite, self: unknown): Class {
  const fallback = (site.owner as { constructor: Class }).constructor;
  if (typeof self === 'function') return self === site.owner || Object.prototype.isPrototypeOf.call(site.owner, self) ? (self as Class) : fallback;
  if (typeof self !== 'object' || self === null || !Object.prototype.isPrototypeOf.call(site.owner, self)) return fallback;
  const ctor = (Object.getPrototypeOf(self) as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' ? (ctor as Class) : fallback;
}

/**
 * Outside every app importing `ResilienceModule` no named policy exists: say that the instance is not a Nest
 * provider of such an app (the usual cause: `new Service()`), rather than that the policy is undefined.
 */
function checkNoPolicyName(site: MethodSite, method: string, className: string): void {
  for (const decorator of ['CircuitBreaker', 'Retry', 'Timeout', 'Bulkhead'] as const) {
    const arg = decorationOf(site, decorator);
    if (typeof arg === 'string') throw new ResilienceConfigurationError(notAProviderMessage(`${method}: ${decoratorLabel(decorator, arg)}`, arg, className));
  }
}

/** A method that fails every call with `error`, in the shape its declared return type promises. */
function rejecting(site: MethodSite, error: unknown): AnyMethod {
  return returnsObservable(site) ? () => throwError(() => error) : () => Promise.reject(error);
}
