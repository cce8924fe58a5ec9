import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ServiceClientModule } from '@nestmesh/client';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { HealthController } from './health.controller.js';
import { ProxyController } from './proxy.controller.js';
import { ServicesController } from './services.controller.js';

/** The demo gateway: discovers services and forwards `/api/<service>/...` to them through `ServiceClient`. */
@Discoverable({ name: 'gateway', tags: ['http', 'demo'], version: '0.1.0' })
@Module({
  imports: [TerminusModule, ServiceDiscoveryModule.forRoot({}), ServiceClientModule.register({ services: { orders: {} }, defaults: { deadline: 5_000 } })],
  controllers: [ProxyController, ServicesController, HealthController],
})
export class AppModule {}
