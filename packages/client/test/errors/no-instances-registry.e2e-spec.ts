import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscoveryModule, type ServiceDiscoveryModuleOptions } from '@nestmesh/discovery';
import { startConsulAgent } from '@nestmesh/testing';
import { ServiceClientModule, ServiceClients, isNoInstancesError } from '@nestmesh/client';
import { rejection } from '../support/client-app.js';

/** The message of the NoInstancesError a call to "ghost" fails with, in an app using `discovery`. */
async function noInstanceMessage(discovery: ServiceDiscoveryModuleOptions, consulAddr?: string): Promise<string> {
  const saved = process.env.CONSUL_HTTP_ADDR;
  if (consulAddr === undefined) delete process.env.CONSUL_HTTP_ADDR;
  else process.env.CONSUL_HTTP_ADDR = consulAddr;
  try {
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ ...discovery, shutdown: { drainDelay: 0 } }), ServiceClientModule.register({ services: { ghost: {} } })] })
    class CallerModule {}
    const app = await NestFactory.createApplicationContext(CallerModule, { logger: false, abortOnError: false });
    try {
      const error = await rejection(app.get(ServiceClients).get('ghost').get('/'));
      expect(isNoInstancesError(error)).toBe(true);
      return (error as Error).message;
    } finally {
      await app.close();
    }
  } finally {
    if (saved === undefined) delete process.env.CONSUL_HTTP_ADDR;
    else process.env.CONSUL_HTTP_ADDR = saved;
  }
}

describe('a NoInstancesError names the registry it looked in', () => {
  it('the in-memory fallback, with how to use Consul instead', async () => {
    expect(await noInstanceMessage({})).toMatch(
      /^No instance of "ghost" to call: none is registered in the in-memory registry of this process; set CONSUL_HTTP_ADDR to use Consul\. /,
    );
  });

  it('the in-memory registry chosen on purpose, without the hint', async () => {
    const message = await noInstanceMessage({ registry: 'in-memory' });
    expect(message).toMatch(/^No instance of "ghost" to call: none is registered in the in-memory registry of this process\. /);
    expect(message).not.toContain('CONSUL_HTTP_ADDR');
  });

  it('the static list', async () => {
    expect(await noInstanceMessage({ registry: 'static', staticServices: { ghost: [] } })).toMatch(
      /^No instance of "ghost" to call: none is registered in the static list of ServiceDiscoveryModule/,
    );
  });

  it('Consul, with its address', async () => {
    const consul = await startConsulAgent();
    try {
      expect(await noInstanceMessage({}, consul.httpAddr)).toMatch(new RegExp(`^No instance of "ghost" to call: none is registered in Consul at http://${consul.httpAddr.replace(/\./g, '\\.')}\\. `));
    } finally {
      await consul.stop();
    }
  });
});
