import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { FallbackMetadata } from './decorators/fallback.decorator.js';
import type { ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import type { AnyMethod } from './policies/method-invoker.js';
import { buildMethodPlan, type MethodDecorations } from './policies/method-plan.builder.js';
import { PolicyPartsBuilder } from './policies/policy-parts.builder.js';
import { validateModuleOptions } from './policies/named-policies.js';
import { observableMethod } from './policies/observable-method.js';
import { promiseMethod } from './policies/promise-method.js';
import {
  BULKHEAD_METADATA,
  CIRCUIT_BREAKER_METADATA,
  FALLBACK_METADATA,
  RESILIENCE_LOGGER_CONTEXT,
  RETRY_METADATA,
  TIMEOUT_METADATA,
} from './resilience.constants.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { ResilienceRegistry } from './resilience.registry.js';

type InstanceWrapper = ReturnType<DiscoveryService['getProviders']>[number];

/**
 * The original of every function this package put on a prototype. Prototypes outlive an app: a second app in
 * the same process (tests, a CLI) re-wraps the original with its own policies instead of nesting wrappers.
 */
const originals = new WeakMap<object, AnyMethod>();

/**
 * @internal Finds every provider and controller method carrying resilience metadata and replaces it, once per
 * class, on the prototype that defines it: every instance (singleton, request-scoped or transient) shares
 * the method's breaker and bulkhead.
 *
 * It runs while Nest instantiates the graph (see `RESILIENCE_BOOTSTRAP`), before the router and the
 * microservice listeners read controller methods; `onModuleInit` runs it again for instances that only
 * existed by then (factory providers).
 */
@Injectable()
export class ResilienceExplorer implements OnModuleInit {
  private readonly logger = new Logger(RESILIENCE_LOGGER_CONTEXT);
  private readonly plans: PolicyPartsBuilder;
  private validated = false;
  /** The functions this explorer installed: explored again (onModuleInit), they are left alone. */
  private readonly installed = new WeakSet<object>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    registry: ResilienceRegistry,
    @Inject(RESILIENCE_MODULE_OPTIONS) private readonly options: ResilienceModuleOptions,
  ) {
    this.plans = new PolicyPartsBuilder(options ?? {}, registry);
  }

  /** Wraps every decorated method not wrapped yet. Throws `ResilienceConfigurationError` on bad options. */
  explore(): void {
    if (!this.validated) {
      validateModuleOptions(this.options ?? {});
      this.validated = true;
    }
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const prototype = prototypeOf(wrapper);
      if (prototype === undefined || seen.has(prototype)) continue;
      seen.add(prototype);
      for (const name of this.scanner.getAllMethodNames(prototype)) this.wrap(prototype, name);
    }
  }

  onModuleInit(): void {
    this.explore();
  }

  private wrap(prototype: object, name: string): void {
    const owner = ownerOf(prototype, name);
    if (owner === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    const current = descriptor?.value as AnyMethod | undefined;
    if (typeof current !== 'function' || this.installed.has(current)) return;
    const original = originals.get(current) ?? current;
    const decorations = readDecorations(owner, name, original);
    if (decorations === undefined) return;

    const method = `${(owner as { constructor: { name: string } }).constructor.name}.${name}`;
    const plan = buildMethodPlan(this.plans, method, decorations);
    let warned = false;
    const replacement = plan.observable
      ? observableMethod(plan, original)
      : promiseMethod(plan, original, () => {
          if (warned) return;
          warned = true;
          this.logger.warn(
            `${method} returned an Observable, but its design:returntype metadata does not name Observable, so it returns a Promise ` +
              'of the last value and the policies cover the whole call, not each subscription. Fix: declare `: Observable<T>` and ' +
              "import Observable as a value (`import { Observable } from 'rxjs'`, not `import type`).",
          );
        });
    // Route, guard and @MessagePattern metadata live on the function: carry them over.
    for (const key of Reflect.getOwnMetadataKeys(original)) {
      Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), replacement);
    }
    Object.defineProperty(replacement, 'name', { value: original.name, configurable: true });
    originals.set(replacement, original);
    this.installed.add(replacement);
    Object.defineProperty(owner, name, { ...descriptor, value: replacement });
  }
}

/** The prototype whose methods a provider or controller uses, without creating an instance. */
function prototypeOf(wrapper: InstanceWrapper): object | undefined {
  if (wrapper.isAlias) return undefined;
  const { metatype, inject } = wrapper;
  if (typeof metatype === 'function' && !inject && typeof metatype.prototype === 'object') return metatype.prototype as object;
  const instance: unknown = wrapper.instance;
  if (typeof instance !== 'object' || instance === null) return undefined;
  const prototype = Object.getPrototypeOf(instance) as object | null;
  return prototype === null || prototype === Object.prototype ? undefined : prototype;
}

/** The object in the prototype chain that defines `name`. */
function ownerOf(prototype: object, name: string): object | undefined {
  for (let current: object | null = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.prototype.hasOwnProperty.call(current, name)) return current;
  }
  return undefined;
}

function readDecorations(owner: object, name: string, method: AnyMethod): MethodDecorations | undefined {
  const get = <T>(key: string) => Reflect.getMetadata(key, method) as T | undefined;
  const decorations: MethodDecorations = {
    circuitBreaker: get(CIRCUIT_BREAKER_METADATA),
    retry: get(RETRY_METADATA),
    timeout: get(TIMEOUT_METADATA),
    bulkhead: get(BULKHEAD_METADATA),
    fallback: get<FallbackMetadata>(FALLBACK_METADATA),
  };
  if (Object.values(decorations).every((value) => value === undefined)) return undefined;
  return { ...decorations, returnType: Reflect.getMetadata('design:returntype', owner, name) as unknown };
}
