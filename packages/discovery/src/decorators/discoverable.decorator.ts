import { DiscoveryService } from '@nestjs/core';
import type { DiscoverableOptions } from '../interfaces/discoverable-options.interface.js';

/**
 * Marks this app as a service: once its HTTP server listens, `ServiceDiscoveryModule` registers it (name,
 * address, the real port, tags, meta, health check) and deregisters it on shutdown. Put it on the root module
 * or on one provider of the app. It stores metadata only; the module reads it at bootstrap.
 *
 * @example
 * ‌@Discoverable({ name: 'orders', tags: ['http'], version: '1.4.0' })
 * ‌@Module({ imports: [ServiceDiscoveryModule.forRoot({})] })
 * export class AppModule {}
 */
export const Discoverable = DiscoveryService.createDecorator<DiscoverableOptions>();
