import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import { validateModuleOptions } from './policies/options.resolver.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { ResilienceScope } from './resilience.scope.js';

type InstanceWrapper = ReturnType<DiscoveryService['getProviders']>[number];
type Class = abstract new (...args: never[]) => unknown;

/**
 * @internal Hands every provider and controller of the app (classes while Nest instantiates the graph, instances
 * once they exist) to the app's {@link ResilienceScope}, which builds, and so validates, their policies at bootstrap.
 */
@Injectable()
export class ResilienceExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scope: ResilienceScope,
    @Inject(RESILIENCE_MODULE_OPTIONS) private readonly options: ResilienceModuleOptions,
  ) {}

  /** Adopts every provider and controller. Throws `ResilienceConfigurationError` on bad options. */
  explore(): void {
    try {
      validateModuleOptions(this.options ?? {});
      for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) this.adopt(wrapper);
    } catch (error) {
      // The app will not boot (and so never shuts down): its scope must not keep the classes it adopted.
      this.scope.close();
      throw error;
    }
  }

  onModuleInit(): void {
    this.explore();
    this.scope.booted();
  }

  private adopt(wrapper: InstanceWrapper): void {
    if (wrapper.isAlias) return;
    const { metatype, inject } = wrapper;
    // Request-scoped and transient instances appear after bootstrap, unadopted: their class says whose they are.
    const createdLater = wrapper.isTransient || !wrapper.isDependencyTreeStatic();
    if (typeof metatype === 'function' && !inject && typeof metatype.prototype === 'object') this.scope.adoptClass(metatype as Class, createdLater);
    // Before construction Nest holds a placeholder made from the prototype: adopting it is harmless, and the
    // real instance is adopted by onModuleInit.
    const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
    if (typeof instance === 'object' && instance !== null && Object.getPrototypeOf(instance) !== Object.prototype) this.scope.adopt(instance);
  }
}
