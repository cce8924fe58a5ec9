import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { GatewayModule } from '@nestmesh/gateway';
import type { DemoGatewayConfig } from './demo-config.js';
import { DEMO_CONFIG } from './demo-gateway.constants.js';
import { DemoTokenController } from './demo-token.controller.js';
import { demoGatewayOptions } from './gateway-options.js';
import { HealthController } from './health.controller.js';
import { ServicesController } from './services.controller.js';

/** The demo gateway: GatewayModule in front of the discovered services, and a few controllers of its own. */
@Discoverable({ name: 'gateway', tags: ['http', 'demo'], version: '0.2.0' })
@Module({})
export class AppModule {
  static forConfig(config: DemoGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule,
        // Consul at CONSUL_HTTP_ADDR; else the in-memory registry, on purpose (no fallback warning) when orders run in this process.
        ServiceDiscoveryModule.forRoot({
          ...(!config.consulAddr && config.embeddedOrders ? { registry: 'in-memory' as const } : {}),
          shutdown: { drainDelay: config.drainDelayMs },
        }),
        GatewayModule.forRootAsync({ useFactory: () => demoGatewayOptions(config) }),
      ],
      controllers: [ServicesController, HealthController, DemoTokenController],
      providers: [{ provide: DEMO_CONFIG, useValue: config }],
    };
  }
}
