import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { INJECTED_SERVICES_METADATA, type InjectedServices } from './inject-service-client.decorator.js';

/**
 * @internal The service names this app's own providers and controllers inject with `@InjectServiceClient()` /
 * `@InjectServiceClientProxy()`, read once from their classes at bootstrap. Names another app of the process
 * injects are not this app's: it neither follows them nor counts them against `maxServices`.
 */
@Injectable()
export class InjectedServicesExplorer {
  private names: { readonly http: Set<string>; readonly tcp: Set<string> } | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  /** Whether a provider or controller of this app injects `name` over `kind`. */
  uses(kind: keyof InjectedServices, name: string): boolean {
    this.names ??= this.collect();
    return this.names[kind].has(name);
  }

  private collect(): { http: Set<string>; tcp: Set<string> } {
    const names = { http: new Set<string>(), tcp: new Set<string>() };
    for (const { metatype } of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      if (typeof metatype !== 'function') continue;
      const injected = Reflect.getMetadata(INJECTED_SERVICES_METADATA, metatype) as InjectedServices | undefined;
      injected?.http.forEach((name) => names.http.add(name));
      injected?.tcp.forEach((name) => names.tcp.add(name));
    }
    return names;
  }
}
