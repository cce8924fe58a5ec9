import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ServiceDiscoveryModule, type ServiceDiscoveryModuleOptions } from '@nestmesh/discovery';
import { bootNestApp, type BootNestAppOptions, type BootedNestApp, type HttpPlatform, type HttpUpstream } from '@nestmesh/testing';
import { ServiceClientModule, getServiceClientToken, type ServiceClient, type ServiceClientModuleOptions } from '@nestmesh/client';

/** What a test app of the client is made of. */
export interface ClientAppOptions {
  discovery: ServiceDiscoveryModuleOptions;
  clients: ServiceClientModuleOptions;
  controllers?: Type<unknown>[];
  imports?: Array<Type<unknown> | DynamicModule>;
  platform?: HttpPlatform;
  /** Nest's logger (a `CapturingLogger` to read what the app logged). Default: quiet. */
  logger?: BootNestAppOptions['logger'];
}

/** A real Nest app (listening on loopback) importing ServiceDiscoveryModule and ServiceClientModule. */
export async function bootClientApp(options: ClientAppOptions): Promise<BootedNestApp & { client(name: string): ServiceClient }> {
  @Module({
    imports: [ServiceDiscoveryModule.forRoot(options.discovery), ServiceClientModule.register(options.clients), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
  })
  class ClientTestModule {}
  const booted = await bootNestApp(ClientTestModule, { platform: options.platform, logger: options.logger });
  return { ...booted, client: (name: string) => booted.app.get<ServiceClient>(getServiceClientToken(name)) };
}

/** Static-registry options listing `upstreams` as instances `<service>-<index>` (with optional weights). */
export function staticDiscovery(service: string, upstreams: ReadonlyArray<Pick<HttpUpstream, 'port'>>, weights?: number[]): ServiceDiscoveryModuleOptions {
  return {
    registry: 'static',
    staticServices: {
      [service]: upstreams.map((upstream, index) => ({ address: '127.0.0.1', port: upstream.port, id: `${service}-${index}`, weight: weights?.[index] })),
    },
  };
}

/** Runs `total` calls with at most `concurrency` at once; returns their results in completion order. */
export async function runLoad<T>(total: number, concurrency: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) results.push(await call(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** What `promise` rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
