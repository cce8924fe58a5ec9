import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ServiceRegistryHealthIndicator } from '@nestmesh/discovery';
import { OrdersHealthIndicator } from './orders/orders.health.js';

/** The app's terminus health endpoint: the orders store and the registry connection. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly orders: OrdersHealthIndicator,
    private readonly registry: ServiceRegistryHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.orders.isHealthy(), () => this.registry.isHealthy()]);
  }
}
