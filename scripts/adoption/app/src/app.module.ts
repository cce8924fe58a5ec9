import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { ResilienceModule } from '@nestmesh/resilience';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

@Discoverable({ name: 'orders', tags: ['adoption'] })
@Module({
  imports: [TerminusModule, ResilienceModule.forRoot({ logEvents: false }), ServiceDiscoveryModule.forRoot({ registry: 'in-memory' })],
  controllers: [OrdersController],
  providers: [OrdersService],
})
export class AppModule {}
