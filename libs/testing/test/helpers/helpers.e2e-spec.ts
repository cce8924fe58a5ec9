import { Controller, Get, Module } from '@nestjs/common';
import {
  bootNestApp,
  getFreePort,
  startConsulAgent,
  startConsulCluster,
  startCountingProxy,
  startHttpUpstream,
  startRedisServer,
  waitFor,
} from '@nestmesh/testing';
import { createConnection } from 'node:net';

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}
@Module({ controllers: [PingController] })
class PingModule {}

async function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('libs/testing starts real components and cleans them up', () => {
  it('a Consul dev agent: leader elected, catalog writable, restart comes back empty, stop frees the port', async () => {
    const consul = await startConsulAgent();
    try {
      await consul.put('/v1/agent/service/register', { Name: 'probe', ID: 'probe-1', Port: 1234 });
      expect(Object.keys(await consul.get<Record<string, unknown>>('/v1/agent/services'))).toEqual(['probe-1']);
      await consul.stop();
      await consul.start();
      expect(await consul.get('/v1/agent/services')).toEqual({});
    } finally {
      await consul.stop();
    }
    expect(await isPortOpen(Number(consul.httpAddr.split(':')[1]))).toBe(false);
  });

  it('a three-server cluster on 127.0.0.x keeps a leader when one server dies', async () => {
    const cluster = await startConsulCluster();
    try {
      const members = await (await fetch(`${cluster.nodes[0].url}/v1/status/peers`)).json();
      expect(members).toHaveLength(3);
      await cluster.nodes[0].kill();
      const leader = await waitFor(
        async () => {
          const current = (await (await fetch(`${cluster.nodes[1].url}/v1/status/leader`)).json()) as string;
          return current !== '' && !current.startsWith(`${cluster.nodes[0].bind}:`) && current;
        },
        { timeout: 20_000, description: 'a leader among the surviving servers' },
      );
      expect([cluster.nodes[1].bind, cluster.nodes[2].bind]).toContain(leader.split(':')[0]);
    } finally {
      await cluster.stop();
    }
  });

  it('a Redis server answers PING on its own port and stops', async () => {
    const redis = await startRedisServer();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ port: redis.port, host: redis.host }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => (socket.destroy(), resolve(data.toString())));
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
    await redis.stop();
    expect(await isPortOpen(redis.port)).toBe(false);
  });

  it('an HTTP upstream and a counting proxy in front of it', async () => {
    const upstream = await startHttpUpstream();
    const proxy = await startCountingProxy(upstream.url);
    try {
      const body = await (await fetch(`${proxy.url}/a/b?x=1`)).json();
      expect(body).toEqual({ ok: true, path: '/a/b?x=1' });
      expect(proxy.count('/a')).toBe(1);
      expect(proxy.count('/c')).toBe(0);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/a/b?x=1']);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it.each(['express', 'fastify'] as const)('boots a Nest app on %s on a free port', async (platform) => {
    const booted = await bootNestApp(PingModule, { platform });
    try {
      expect(await (await fetch(`${booted.url}/ping`)).json()).toEqual({ pong: true });
    } finally {
      await booted.close();
    }
    expect(await isPortOpen(booted.port)).toBe(false);
  });

  it('getFreePort returns a port nobody listens on', async () => {
    expect(await isPortOpen(await getFreePort())).toBe(false);
  });
});
