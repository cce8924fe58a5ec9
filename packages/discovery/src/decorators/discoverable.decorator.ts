import { DiscoveryService } from '@nestjs/core';
import type { DiscoverableOptions } from '../interfaces/discoverable-options.interface.js';
import { addDiscoverableBootstrapCheck } from '../registration/discoverable-bootstrap.check.js';

const metadata = DiscoveryService.createDecorator<DiscoverableOptions>();

/**
 * Marks this app as a service: once its HTTP server listens, `ServiceDiscoveryModule` registers it (name,
 * address, the real port, tags, meta, health check) and deregisters it on shutdown. Put it on the root module
 * or on one provider of the app. It stores metadata; the module reads it at bootstrap. An app where nothing
 * registers it (no `ServiceDiscoveryModule`, or the decorator on a controller) logs a warning at bootstrap.
 *
 * @example
 * ‌@Discoverable({ name: 'orders', tags: ['http'], version: '1.4.0' })
 * ‌@Module({ imports: [ServiceDiscoveryModule.forRoot({})] })
 * export class AppModule {}
 */
export const Discoverable: typeof metadata = Object.assign(
  (options?: DiscoverableOptions): ClassDecorator & MethodDecorator =>
    (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
      metadata(options)(target as never, key as never, descriptor as never);
      if (descriptor === undefined) addDiscoverableBootstrapCheck(target);
    },
  { KEY: metadata.KEY },
) as typeof metadata;
