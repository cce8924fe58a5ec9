import { Controller, Get, Module, NotFoundException, type DynamicModule, type Type } from '@nestjs/common';
import { ServiceDiscoveryModule, type ServiceDiscoveryModuleOptions } from '@nestmesh/discovery';
import { bootNestApp, type BootNestAppOptions, type BootedNestApp, type HttpPlatform, type HttpUpstream } from '@nestmesh/testing';
import { GatewayModule, isGatewayConfigurationError, type GatewayModuleOptions } from '../../src/index.js';

/** A controller of the gateway app itself, beside the gateway (backend-for-frontend style). */
@Controller('bff')
export class BffController {
  @Get('hello')
  hello() {
    return { hello: 'from the app' };
  }

  @Get('missing')
  missing() {
    throw new NotFoundException('no such thing here');
  }
}

/** What a gateway test app is made of. */
export interface GatewayAppOptions {
  gateway: GatewayModuleOptions;
  discovery?: ServiceDiscoveryModuleOptions;
  platform?: HttpPlatform;
  imports?: Array<Type<unknown> | DynamicModule>;
  controllers?: Type<unknown>[];
  providers?: Parameters<typeof Module>[0]['providers'];
  /** Nest's logger (a `CapturingLogger` to read what the gateway logged). Default: quiet. */
  logger?: BootNestAppOptions['logger'];
}

/** A real Nest app on loopback with `GatewayModule` (and `ServiceDiscoveryModule` when `discovery` is given). */
export async function bootGatewayApp(options: GatewayAppOptions): Promise<BootedNestApp> {
  @Module({
    imports: [...(options.discovery ? [ServiceDiscoveryModule.forRoot(options.discovery)] : []), GatewayModule.forRoot(options.gateway), ...(options.imports ?? [])],
    controllers: options.controllers ?? [BffController],
    providers: options.providers ?? [],
  })
  class GatewayTestModule {}
  return bootNestApp(GatewayTestModule, { platform: options.platform, logger: options.logger });
}

/**
 * The `GatewayConfigurationError` a gateway app with these options fails its bootstrap with on `platform` (options
 * are `unknown`: the cases are often what the types refuse). Fails the test if the app boots or fails otherwise.
 */
export async function gatewayBootstrapError(platform: HttpPlatform, gateway: unknown): Promise<Error> {
  const error = await bootGatewayApp({ platform, gateway: gateway as GatewayModuleOptions }).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
  expect(isGatewayConfigurationError(error)).toBe(true);
  return error as Error;
}

/** Static-registry options listing `upstreams` as instances `<service>-<index>`. */
export function staticDiscovery(service: string, upstreams: ReadonlyArray<Pick<HttpUpstream, 'port'>>): ServiceDiscoveryModuleOptions {
  return { registry: 'static', staticServices: { [service]: upstreams.map((upstream, index) => ({ address: '127.0.0.1', port: upstream.port, id: `${service}-${index}` })) } };
}

/** The platforms every gateway scenario runs on. */
export const PLATFORMS: HttpPlatform[] = ['express', 'fastify'];
