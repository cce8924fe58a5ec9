import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';

/** Your connection (a TypeORM DataSource, a Prisma client, a pg Pool...): anything you can ping. */
@Injectable()
export class Database {
  async ping(): Promise<void> {
    // e.g. await this.dataSource.query('SELECT 1');
  }
}

/** A terminus (11+) health indicator: HealthIndicatorService builds the result. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly database: Database,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    try {
      await this.database.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

@Module({ imports: [TerminusModule], providers: [Database, DatabaseHealthIndicator], exports: [DatabaseHealthIndicator] })
export class DatabaseModule {}

@Discoverable({ name: 'orders', tags: ['http'], version: '1.4.0' })
@Module({
  imports: [
    ServiceDiscoveryModule.forRootAsync({
      imports: [DatabaseModule],
      inject: [DatabaseHealthIndicator],
      // The same terminus indicators decide the Consul check (and the module's health endpoint).
      useFactory: (db: DatabaseHealthIndicator) => ({ health: { indicators: [() => db.isHealthy('db')] } }),
    }),
  ],
})
export class AppModule {}

// main.ts
export async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true }); // drain + deregister, then exit 0
  await app.listen(process.env.PORT ?? 3000);
}
