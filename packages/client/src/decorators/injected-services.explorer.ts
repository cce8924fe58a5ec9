import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { injectedTokens } from './inject-service-client.decorator.js';

/**
 * @internal The client and proxy tokens this app's own providers and controllers inject with
 * `@InjectServiceClient()` / `@InjectServiceClientProxy()`, read once from their classes at bootstrap. Names another
 * app of the process injects are not this app's: it neither follows them nor counts them against `maxServices`.
 */
@Injectable()
export class InjectedServicesExplorer {
  private tokens: Set<string> | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  /** Whether a provider or controller of this app injects `token` (`getServiceClientToken(name)` or the proxy's). */
  uses(token: string): boolean {
    if (this.tokens === undefined) {
      const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
      this.tokens = new Set(wrappers.flatMap(({ metatype }) => injectedTokens(metatype)));
    }
    return this.tokens.has(token);
  }
}
