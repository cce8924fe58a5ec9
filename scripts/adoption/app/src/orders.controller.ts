import { Controller, Get, Param } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ServiceDiscovery, ServiceRegistryHealthIndicator } from '@nestmesh/discovery';
import { ResilienceHealthIndicator } from '@nestmesh/resilience';
import { OrdersService } from './orders.service.js';

/** Routes the smoke test calls: a breaker-protected method, discovery, and a terminus health check. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly discovery: ServiceDiscovery,
    private readonly health: HealthCheckService,
    private readonly breakers: ResilienceHealthIndicator,
    private readonly registry: ServiceRegistryHealthIndicator,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    // Type-checks the indicators' result types against this app's @nestjs/terminus (11 or 12).
    return this.health.check([() => this.breakers.isHealthy(), () => this.registry.isHealthy('registry')]);
  }

  @Get('instances')
  async instances() {
    const instances = await this.discovery.getInstances('orders');
    return { calls: this.orders.calls, ports: instances.map((instance) => instance.port) };
  }

  @Get(':id')
  find(@Param('id') id: string) {
    return this.orders.find(id);
  }
}
