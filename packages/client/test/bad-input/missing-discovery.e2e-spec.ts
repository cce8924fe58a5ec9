import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { ServiceClientModule, ServiceClientConfigurationError, ServiceClients, isServiceClientConfigurationError } from '@nestmesh/client';
import { rejection } from '../support/client-app.js';

const expectMissingDiscovery = (error: unknown) => {
  expect(error).toBeInstanceOf(ServiceClientConfigurationError);
  expect(isServiceClientConfigurationError(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain('ServiceClientModule needs ServiceDiscoveryModule');
  expect(message).toContain('ServiceDiscoveryModule.forRoot(');
  expect(message).not.toMatch(/can't resolve dependencies/i);
};

describe('ServiceClientModule in an app without ServiceDiscoveryModule', () => {
  it('fails the bootstrap of register() with a message naming the fix', async () => {
    @Module({ imports: [ServiceClientModule.register({ services: { orders: {} } })] })
    class NoDiscoveryModule {}
    expectMissingDiscovery(await rejection(NestFactory.createApplicationContext(NoDiscoveryModule, { logger: false, abortOnError: false })));
  });

  it('fails the bootstrap of registerAsync() the same way', async () => {
    @Module({ imports: [ServiceClientModule.registerAsync({ serviceNames: ['orders'], useFactory: () => ({ services: { orders: {} } }) })] })
    class NoDiscoveryAsyncModule {}
    expectMissingDiscovery(await rejection(NestFactory.createApplicationContext(NoDiscoveryAsyncModule, { logger: false, abortOnError: false })));
  });

  it('boots once ServiceDiscoveryModule is imported', async () => {
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: {} }), ServiceClientModule.register({ services: { orders: {} } })] })
    class FixedModule {}
    const app = await NestFactory.createApplicationContext(FixedModule, { logger: false, abortOnError: false });
    expect(app.get(ServiceClients).get('orders')).toBeDefined();
    await app.close();
  });
});
