import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { attachGateway } from './adapter/attach-gateway.js';
import { applyServerLimits } from './adapter/server-limits.js';
import { GatewayNotFoundFilter } from './adapter/gateway-not-found.filter.js';
import { GatewayConfigurableModule } from './gateway.module-definition.js';
import { GatewayService } from './gateway.service.js';

/**
 * Turns the app into an API gateway: requests matching a route are authenticated, authorized, throttled,
 * optionally cached, and streamed to a discovered service (through `@nestmesh/client`) or a static URL, at
 * the HTTP-adapter level (Express or Fastify), ahead of Nest's own routing. Everything else reaches the app's
 * controllers, guards and interceptors as usual; a request nothing answers gets a problem+json 404.
 *
 * @example
 * @Module({
 *   imports: [
 *     ServiceDiscoveryModule.forRoot({}),
 *     GatewayModule.forRoot({ routes: [{ prefix: '/api/orders', service: 'orders', rewrite: { stripPrefix: '/api' } }] }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  providers: [GatewayService, { provide: APP_FILTER, useClass: GatewayNotFoundFilter }],
  exports: [GatewayService],
})
export class GatewayModule extends GatewayConfigurableModule implements NestModule {
  constructor(
    private readonly gateway: GatewayService,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  /** Runs before Nest registers its routes: the gateway goes first. */
  configure(_consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // not an HTTP app (a microservice or a standalone context)
    attachGateway(adapter, this.gateway.proxy());
    applyServerLimits(adapter.getHttpServer(), this.gateway.resolvedLimits);
  }
}
