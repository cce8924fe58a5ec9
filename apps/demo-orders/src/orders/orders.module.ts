import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OrdersController } from './orders.controller.js';
import { OrdersHealthAdminController, OrdersHealthIndicator } from './orders.health.js';
import { OrdersStore } from './orders.store.js';

@Module({
  imports: [TerminusModule],
  controllers: [OrdersController, OrdersHealthAdminController],
  providers: [OrdersStore, OrdersHealthIndicator],
  exports: [OrdersHealthIndicator],
})
export class OrdersModule {}
