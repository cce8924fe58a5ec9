import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { HealthController } from './health.controller.js';
import { ProxyController } from './proxy.controller.js';
import { ServicesController } from './services.controller.js';

/** The demo gateway: discovers services and forwards `/api/<service>/...` to them. */
@Discoverable({ name: 'gateway', tags: ['http', 'demo'], version: '0.1.0' })
@Module({
  imports: [TerminusModule, ServiceDiscoveryModule.forRoot({})],
  controllers: [ProxyController, ServicesController, HealthController],
})
export class AppModule {}
