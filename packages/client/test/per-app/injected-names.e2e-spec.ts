import { Injectable, Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { InjectServiceClient, InjectServiceClientProxy, ServiceClient, ServiceClientModule, ServiceClientProxy, ServiceClients } from '@nestmesh/client';

@Injectable()
class AlphaCaller {
  constructor(
    @InjectServiceClient('state-alpha') readonly alpha: ServiceClient,
    @InjectServiceClientProxy('state-alpha-tcp') readonly alphaTcp: ServiceClientProxy,
  ) {}
}

@Injectable()
class BetaCaller {
  @InjectServiceClientProxy('state-beta') readonly betaTcp!: ServiceClientProxy;
  constructor(@InjectServiceClient('state-beta') readonly beta: ServiceClient) {}
}

/** A class of no app: its names must not reach any app. */
@Injectable()
export class OrphanCaller {
  constructor(@InjectServiceClient('state-orphan') readonly orphan: ServiceClient) {}
}

describe('@InjectServiceClient names belong to the app that uses them (two apps in one process)', () => {
  let upstream: HttpUpstream;
  const apps: INestApplicationContext[] = [];
  beforeAll(async () => (upstream = await startHttpUpstream()));
  afterAll(async () => {
    for (const app of apps) await app.close();
    await upstream.close();
  });

  const boot = async (clients: DynamicModule, caller: Type<unknown>) => {
    const instances = ['state-alpha', 'state-alpha-tcp', 'state-beta'].map((name) => [name, [`127.0.0.1:${upstream.port}`]]);
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: Object.fromEntries(instances) }), clients], providers: [caller] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    apps.push(app);
    return app;
  };

  it('an app follows only the services its own providers inject, so maxServices: 0 holds beside another app', async () => {
    const alpha = await boot(ServiceClientModule.register({ services: { 'state-alpha': {}, 'state-alpha-tcp': {} }, maxServices: 0 }), AlphaCaller);
    const beta = await boot(ServiceClientModule.register({ services: { 'state-beta': {} }, maxServices: 0 }), BetaCaller);

    expect(alpha.get(AlphaCaller).alpha.name).toBe('state-alpha');
    expect(beta.get(BetaCaller).beta.name).toBe('state-beta');
    expect(beta.get(BetaCaller).betaTcp).toBe(beta.get(ServiceClients).proxy('state-beta'));
    const response = await beta.get(BetaCaller).beta.get('/beta');
    expect(response.status).toBe(200);
    await response.body.dump();
  });

  it('registerAsync() provides the names its app injects, and no app follows the names of another', async () => {
    const alpha = await boot(ServiceClientModule.registerAsync({ useFactory: () => ({ services: {}, maxServices: 2 }) }), AlphaCaller);
    const beta = await boot(ServiceClientModule.registerAsync({ useFactory: () => ({ services: {}, maxServices: 1 }) }), BetaCaller);

    // Each app created the clients its providers inject (with the defaults), and only those.
    expect(alpha.get(AlphaCaller).alpha.name).toBe('state-alpha');
    expect(beta.get(BetaCaller).beta.name).toBe('state-beta');
    // The one service beta may follow is the one it injects: nothing of alpha's (or of OrphanCaller) took a place.
    expect(() => beta.get(ServiceClients).get('another')).toThrow(/already 1 services are followed \(the "maxServices" option\)/);
    expect(() => alpha.get(ServiceClients).get('another')).toThrow(/already 2 services are followed/);
  });
});
